import { describe, expect, it } from 'vitest';
import { RedisUrlError, parseRedisUrl, redactRedisUrl } from './redis.ts';

describe('parseRedisUrl', () => {
  it('keeps a single-server URL as it is', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379/2')).toEqual({ kind: 'single', url: 'redis://127.0.0.1:6379/2' });
    expect(parseRedisUrl('rediss://user:pw@cache.internal:6380')).toMatchObject({ kind: 'single' });
  });

  it('reads a cluster as its seed nodes, credentials and TLS', () => {
    expect(parseRedisUrl('redis+cluster://10.0.0.1:7000,10.0.0.2:7001,node-3')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: 'node-3', port: 6379 },
      ],
      tls: false,
      db: 0,
    });
    expect(parseRedisUrl('rediss+cluster://gazette:s%40cret@[::1]:7000/')).toEqual({
      kind: 'cluster',
      nodes: [{ host: '::1', port: 7000 }],
      username: 'gazette',
      password: 's@cret',
      tls: true,
      db: 0,
    });
    expect(parseRedisUrl('redis+cluster://:pw@h:1')).toMatchObject({ password: 'pw' });
  });

  it('refuses what a cluster cannot be, with a reason code', () => {
    for (const bad of [
      'redis+cluster://h:1/3',
      'redis+cluster://h:99999',
      'redis+cluster://a:b:c',
      'http://h:1',
      'nonsense',
    ]) {
      const error = (() => {
        try {
          parseRedisUrl(bad);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error, bad).toBeInstanceOf(RedisUrlError);
      expect((error as RedisUrlError).reason).toBe('invalid-redis-url');
    }
  });
});

describe('redactRedisUrl', () => {
  it('hides passwords of single and cluster URLs', () => {
    expect(redactRedisUrl('redis://user:secret@h:1')).toBe('redis://user:***@h:1');
    expect(redactRedisUrl('redis+cluster://:secret@h:1,h:2')).toBe('redis+cluster://:***@h:1,h:2');
    expect(redactRedisUrl('redis://h:1')).toBe('redis://h:1');
  });
});
