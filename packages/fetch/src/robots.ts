import type { Cluster, Redis } from 'ioredis';

/** One Redis server or a Redis Cluster. */
type RedisConnection = Redis | Cluster;
import type { Fetcher } from './fetcher.ts';
import type { ReasonCode } from './outcome.ts';
import { PermanentError, RetryableError } from '@gazette/errors';

/**
 * robots.txt per RFC 9309: groups selected by product token (case-insensitive),
 * `*` group as fallback, longest matching rule wins, allow wins ties, `*` and
 * `$` wildcards, `/robots.txt` always allowed. Crawl-delay and Sitemap are
 * the usual non-standard extensions.
 */

interface Rule {
  allow: boolean;
  pattern: string;
  regex: RegExp;
}

interface Group {
  agents: string[];
  rules: Rule[];
  crawlDelaySeconds?: number;
}

/** RFC 9309 §2.5: parse at least 500 KiB. */
const MAX_ROBOTS_BYTES = 500 * 1024;

/** Uppercase %xx escapes and percent-encode characters outside printable ASCII. */
function normalizeEncoding(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code > 0x7e || code < 0x21) {
      out += Array.from(Buffer.from(ch, 'utf8'), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    } else out += ch;
  }
  return out.replace(/%[0-9a-f]{2}/gi, (m) => m.toUpperCase());
}

function compile(pattern: string): RegExp {
  const anchored = pattern.endsWith('$');
  const body = anchored ? pattern.slice(0, -1) : pattern;
  const source = body
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}${anchored ? '$' : ''}`, 's');
}

function productToken(userAgent: string): string {
  return (userAgent.split(/[/\s]/)[0] ?? userAgent).toLowerCase();
}

export class RobotsTxt {
  private readonly groups: Group[] = [];
  readonly sitemaps: string[] = [];

  constructor(readonly text: string) {
    let current: Group | null = null;
    let lastWasAgent = false;
    const content = text.length > MAX_ROBOTS_BYTES ? text.slice(0, MAX_ROBOTS_BYTES) : text;
    for (const rawLine of content.split(/\r\n|\r|\n/)) {
      const line = rawLine.replace(/#.*$/, '').trim();
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const key = line
        .slice(0, colon)
        .trim()
        .toLowerCase()
        .replace(/[\s_-]/g, '');
      const value = line.slice(colon + 1).trim();
      if (key === 'useragent') {
        if (!current || !lastWasAgent) {
          current = { agents: [], rules: [] };
          this.groups.push(current);
        }
        current.agents.push(productToken(value));
        lastWasAgent = true;
        continue;
      }
      if (key === 'sitemap') {
        if (value) this.sitemaps.push(value);
        continue;
      }
      lastWasAgent = false;
      if (!current) continue; // rules before any user-agent line are ignored
      if (key === 'allow' || key === 'disallow' || key === 'disalow' || key === 'dissallow') {
        if (!value) continue; // an empty rule matches nothing
        const pattern = normalizeEncoding(value);
        current.rules.push({ allow: key === 'allow', pattern, regex: compile(pattern) });
      } else if (key === 'crawldelay') {
        const seconds = Number(value);
        if (Number.isFinite(seconds) && seconds >= 0) current.crawlDelaySeconds = seconds;
      }
    }
  }

  /** The rules that apply to a crawler: every group naming its product token, else every `*` group. */
  private select(userAgent: string): { rules: Rule[]; crawlDelaySeconds?: number } {
    const token = productToken(userAgent);
    let groups = this.groups.filter((g) => g.agents.includes(token));
    if (groups.length === 0) groups = this.groups.filter((g) => g.agents.includes('*'));
    const delays = groups.map((g) => g.crawlDelaySeconds).filter((d): d is number => d !== undefined);
    return {
      rules: groups.flatMap((g) => g.rules),
      ...(delays.length > 0 ? { crawlDelaySeconds: Math.max(...delays) } : {}),
    };
  }

  /** Is `url` (absolute, or a path with query) allowed for `userAgent`? */
  isAllowed(url: string, userAgent: string): boolean {
    let path: string;
    if (url.startsWith('/')) path = url;
    else {
      const u = new URL(url);
      path = `${u.pathname}${u.search}`;
    }
    path = normalizeEncoding(path);
    if (path === '/robots.txt') return true;
    let best: Rule | null = null;
    for (const rule of this.select(userAgent).rules) {
      if (!rule.regex.test(path)) continue;
      if (
        !best ||
        rule.pattern.length > best.pattern.length ||
        (rule.pattern.length === best.pattern.length && rule.allow && !best.allow)
      )
        best = rule;
    }
    return best ? best.allow : true;
  }

  /** Crawl-delay in ms for `userAgent`, if the file sets one. */
  crawlDelayMs(userAgent: string): number | undefined {
    const seconds = this.select(userAgent).crawlDelaySeconds;
    return seconds === undefined ? undefined : Math.round(seconds * 1000);
  }
}

/** What the robots cache remembers per origin. */
interface RobotsEntry {
  /**
   * `rules`: a robots.txt was fetched; `allow-all`: 4xx; `unavailable`: 5xx, unreachable or
   * unreadable; `blocked`: the network guard refused the host (never cached in Redis).
   */
  kind: 'rules' | 'allow-all' | 'unavailable' | 'blocked';
  text: string;
  fetchedAt: number;
  status: number | null;
  reason: ReasonCode;
}

export interface RobotsDecision {
  allowed: boolean;
  /**
   * `ok` when allowed; `robots-disallowed` (permanent), `robots-unavailable` (retryable) or
   * `blocked-address` (permanent: the network guard refuses the host) otherwise.
   */
  reason: 'ok' | 'robots-disallowed' | 'robots-unavailable' | 'blocked-address';
  /** Crawl-delay for our user agent, capped by `maxCrawlDelayMs`. */
  crawlDelayMs?: number;
}

export interface RobotsCacheOptions {
  fetcher: Fetcher;
  /** Shared cache so every process fetches a host's robots.txt once per TTL; in-process only when absent. */
  redis?: RedisConnection;
  /** Redis key prefix. Default `gazette:robots:`. */
  prefix?: string;
  /** Product token / user agent matched against `User-agent:` lines. Default: the fetcher's user agent. */
  userAgent?: string;
  /** How long a fetched robots.txt (or a 4xx) is trusted. Default 24 h (RFC 9309 §2.4). */
  ttlMs?: number;
  /** How long a 5xx/unreachable answer is cached before trying again. Default 5 min. */
  unavailableTtlMs?: number;
  /** Cap on Crawl-delay. Default 30 s. */
  maxCrawlDelayMs?: number;
  /** Entries kept in process memory in front of Redis. Default 1000. */
  memoryEntries?: number;
}

/**
 * robots.txt per origin, fetched through the shared fetcher and cached:
 * in Redis (shared by all processes, JSON value with a TTL) when a client is
 * given, and always in a small in-process LRU with the same expiry.
 */
export class RobotsCache {
  private readonly memory = new Map<string, { entry: RobotsEntry; robots: RobotsTxt; expiresAt: number }>();
  private readonly inflight = new Map<string, Promise<{ entry: RobotsEntry; robots: RobotsTxt }>>();
  private readonly prefix: string;
  private readonly userAgent: string;
  private readonly ttlMs: number;
  private readonly unavailableTtlMs: number;
  private readonly maxCrawlDelayMs: number;
  private readonly memoryEntries: number;

  constructor(private readonly options: RobotsCacheOptions) {
    this.prefix = options.prefix ?? 'gazette:robots:';
    this.userAgent = options.userAgent ?? options.fetcher.userAgent;
    this.ttlMs = options.ttlMs ?? 24 * 3600_000;
    this.unavailableTtlMs = options.unavailableTtlMs ?? 5 * 60_000;
    this.maxCrawlDelayMs = options.maxCrawlDelayMs ?? 30_000;
    this.memoryEntries = options.memoryEntries ?? 1000;
  }

  /** The parsed robots.txt of the origin of `url` (empty when 4xx or unavailable). */
  async get(url: string): Promise<{ robots: RobotsTxt; kind: RobotsEntry['kind']; status: number | null }> {
    const { entry, robots } = await this.load(new URL(url).origin);
    return { robots, kind: entry.kind, status: entry.status };
  }

  /** May our crawler fetch `url`? */
  async check(url: string): Promise<RobotsDecision> {
    const { entry, robots } = await this.load(new URL(url).origin);
    if (entry.kind === 'blocked') return { allowed: false, reason: 'blocked-address' };
    if (entry.kind === 'unavailable') return { allowed: false, reason: 'robots-unavailable' };
    if (entry.kind === 'allow-all') return { allowed: true, reason: 'ok' };
    const delay = robots.crawlDelayMs(this.userAgent);
    const crawlDelay = delay === undefined ? {} : { crawlDelayMs: Math.min(delay, this.maxCrawlDelayMs) };
    return robots.isAllowed(url, this.userAgent)
      ? { allowed: true, reason: 'ok', ...crawlDelay }
      : { allowed: false, reason: 'robots-disallowed', ...crawlDelay };
  }

  /** `Sitemap:` lines of the origin's robots.txt, resolved to absolute URLs. */
  async sitemaps(url: string): Promise<string[]> {
    const origin = new URL(url).origin;
    const { robots } = await this.load(origin);
    const out: string[] = [];
    for (const s of robots.sitemaps) {
      try {
        out.push(new URL(s, origin).href);
      } catch {
        // ignore malformed lines
      }
    }
    return out;
  }

  /** Forget an origin (memory and Redis). */
  async invalidate(url: string): Promise<void> {
    const origin = new URL(url).origin;
    this.memory.delete(origin);
    await this.options.redis?.del(this.prefix + origin);
  }

  private async load(origin: string): Promise<{ entry: RobotsEntry; robots: RobotsTxt }> {
    const cached = this.memory.get(origin);
    if (cached && cached.expiresAt > Date.now()) {
      this.memory.delete(origin);
      this.memory.set(origin, cached); // LRU touch
      return cached;
    }
    let pending = this.inflight.get(origin);
    if (!pending) {
      pending = this.resolve(origin).finally(() => this.inflight.delete(origin));
      this.inflight.set(origin, pending);
    }
    return pending;
  }

  private async resolve(origin: string): Promise<{ entry: RobotsEntry; robots: RobotsTxt }> {
    const key = this.prefix + origin;
    const redis = this.options.redis;
    let entry: RobotsEntry | null = null;
    let ttl = 0;
    if (redis) {
      const [raw, pttl] = await Promise.all([redis.get(key), redis.pttl(key)]);
      if (raw) {
        try {
          entry = JSON.parse(raw) as RobotsEntry;
          ttl = pttl > 0 ? pttl : this.ttlFor(entry);
        } catch {
          entry = null;
        }
      }
    }
    if (!entry) {
      entry = await this.fetchEntry(origin);
      ttl = this.ttlFor(entry);
      // A guard verdict belongs to this process's allow list (and to what DNS says now): not shared.
      if (entry.kind === 'blocked') return { entry, robots: new RobotsTxt('') };
      if (redis) await redis.set(key, JSON.stringify(entry), 'PX', ttl);
    }
    const value = { entry, robots: new RobotsTxt(entry.kind === 'rules' ? entry.text : '') };
    this.memory.set(origin, { ...value, expiresAt: Date.now() + ttl });
    while (this.memory.size > this.memoryEntries) {
      const oldest = this.memory.keys().next();
      if (oldest.done) break;
      this.memory.delete(oldest.value);
    }
    return value;
  }

  private ttlFor(entry: RobotsEntry): number {
    return entry.kind === 'unavailable' ? this.unavailableTtlMs : this.ttlMs;
  }

  private async fetchEntry(origin: string): Promise<RobotsEntry> {
    // RFC 9309 §2.5: only the first 500 KiB are parsed, so only they are read, whatever the file's size.
    const outcome = await this.options.fetcher.fetch(`${origin}/robots.txt`, {
      contentTypes: null,
      truncateAt: MAX_ROBOTS_BYTES,
    });
    const base = { fetchedAt: Date.now(), status: outcome.status, reason: outcome.reason };
    if (outcome.ok) return { ...base, kind: 'rules', text: robotsText(outcome.body ?? Buffer.alloc(0)) };
    if (outcome.reason === 'blocked-address') return { ...base, kind: 'blocked', text: '' };
    // RFC 9309 §2.3.1.3: 4xx means no restrictions; §2.3.1.4: 5xx or unreachable means complete
    // disallow. A file that cannot be read (bad compression, a decompression bomb, a cut line) is
    // unreachable as far as the rules go: never a reason to allow everything.
    const status = outcome.status;
    if (status !== null && status >= 400 && status < 500 && status !== 429)
      return { ...base, kind: 'allow-all', text: '' };
    return { ...base, kind: 'unavailable', text: '' };
  }
}

/**
 * robots.txt bytes → text: UTF-8 (RFC 9309 §2.3), a BOM dropped, invalid sequences replaced
 * rather than rejected (a rule is still read around them); a line cut by the 500 KiB limit is dropped.
 */
function robotsText(bytes: Buffer): string {
  let text = new TextDecoder('utf-8').decode(bytes);
  if (bytes.length >= MAX_ROBOTS_BYTES) {
    const end = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
    text = end === -1 ? '' : text.slice(0, end);
  }
  return text;
}

/** Map a refusal onto the error taxonomy: disallowed and blocked are permanent, unavailable is retryable. */
export function robotsDecisionToError(url: string, decision: RobotsDecision): PermanentError | RetryableError {
  if (decision.reason === 'robots-unavailable')
    return new RetryableError('robots-unavailable', `robots.txt for ${url} is unavailable; retry later`);
  if (decision.reason === 'blocked-address')
    return new PermanentError('blocked-address', `the network guard refuses the host of ${url}`);
  return new PermanentError('robots-disallowed', `robots.txt disallows ${url}`);
}
