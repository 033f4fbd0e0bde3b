import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { backingServiceUrls, commonEnvShape, elasticsearchEnvShape, parseEnv } from './env.ts';

describe('backing service settings', () => {
  it('reads the URLs, else the ports the infra scripts use, else the defaults', () => {
    expect(backingServiceUrls({})).toEqual({ redisUrl: 'redis://127.0.0.1:6379', esUrl: 'http://127.0.0.1:9200' });
    expect(backingServiceUrls({ REDIS_PORT: '6416', ES_PORT: '9216' })).toEqual({
      redisUrl: 'redis://127.0.0.1:6416',
      esUrl: 'http://127.0.0.1:9216',
    });
    expect(
      backingServiceUrls({
        REDIS_PORT: '6416',
        REDIS_URL: 'redis://cache:6379',
        ES_PORT: '9216',
        ELASTICSEARCH_URL: '',
      }),
    ).toEqual({ redisUrl: 'redis://cache:6379', esUrl: 'http://127.0.0.1:9216' });
  });

  it("are what every service's config reads", () => {
    const schema = z.object({ ...commonEnvShape, ...elasticsearchEnvShape });
    const config = parseEnv(schema, { REDIS_PORT: '7001', ES_PORT: '9301' });
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:7001');
    expect(config.ELASTICSEARCH_URL).toBe('http://127.0.0.1:9301');
  });
});
