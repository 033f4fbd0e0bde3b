import { RobotsCache, type Fetcher } from '@gazette/fetch';
import { HostPoliteness, SeenSet } from '@gazette/frontier';
import type { RedisConnection } from '@gazette/jobs';

/** The settings (see `fetchEnvShape`) behind the state fetching processes share. */
export interface HostRuleSettings {
  CRAWLER_ROBOTS_TTL_S: number;
  CRAWLER_MAX_CRAWL_DELAY_S: number;
  CRAWLER_POLITENESS_MS: number;
}

/**
 * What every fetching process (crawler, renderer) shares with the others through Redis: the robots.txt
 * cache, per-host politeness (null when switched off) and the seen-set.
 */
export function openHostRules(
  settings: HostRuleSettings,
  deps: { fetcher: Fetcher; redis: RedisConnection; prefix: string },
): { robots: RobotsCache; politeness: HostPoliteness | null; seen: SeenSet } {
  const { fetcher, redis, prefix } = deps;
  return {
    robots: new RobotsCache({
      fetcher,
      redis,
      prefix: `${prefix}:robots:`,
      ttlMs: settings.CRAWLER_ROBOTS_TTL_S * 1000,
      maxCrawlDelayMs: settings.CRAWLER_MAX_CRAWL_DELAY_S * 1000,
    }),
    politeness:
      settings.CRAWLER_POLITENESS_MS > 0
        ? new HostPoliteness({ redis, prefix: `${prefix}:polite:`, minIntervalMs: settings.CRAWLER_POLITENESS_MS })
        : null,
    seen: new SeenSet({ redis, prefix: `${prefix}:seen:` }),
  };
}
