import type { Client } from '@elastic/elasticsearch';
import type { Queue } from 'bullmq';
import type { Registry } from 'prom-client';
import type { RawArchive } from '@gazette/archive';
import type { NetworkGuard } from '@gazette/fetch';
import type { Producer, QueueContext, QueueName, RedisConnection } from '@gazette/jobs';
import type { Logger } from '@gazette/logger';
import type { SourceRegistry } from '@gazette/sources';

/** Everything the API is built from; each route plugin is given only the part it uses. */
export interface AppDeps {
  es: Client;
  redis: RedisConnection;
  crawl: Producer<'crawl'>;
  parse: Producer<'parse'>;
  /** Articles alias. */
  index: string;
  logger: Logger;
  /** Queues (prefix and connection) operators look at and replay. */
  context: QueueContext;
  queues: Record<QueueName, Queue>;
  sources: SourceRegistry;
  archive: RawArchive;
  /** Prometheus registry served at /metrics. */
  registry: Registry;
  auth: { operatorToken: string | undefined; readToken: string | undefined; secureCookie: boolean };
  /** The crawler's network guard rules (CRAWLER_ALLOW_HOSTS): URLs it would refuse are refused here with 400. */
  crawlGuard?: NetworkGuard;
}
