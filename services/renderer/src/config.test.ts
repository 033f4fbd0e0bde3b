import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('renderer settings', () => {
  it('has working local defaults, the crawler network settings included', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      RENDERER_CONCURRENCY: 2,
      RENDERER_PAGE_TIMEOUT_MS: 30_000,
      RENDERER_MAX_HEAP_MB: 256,
      RENDERER_BLOCK_TYPES: ['image', 'media', 'font'],
      RENDERER_ALLOW_THIRD_PARTY: false,
      CHROMIUM_PATH: '/usr/bin/chromium',
      CRAWLER_ALLOW_HOSTS: [],
      CRAWLER_POLITENESS_MS: 1_000,
    });
  });

  it('reads lists and flags, and says which value is wrong', () => {
    const config = loadConfig({
      RENDERER_BLOCK_TYPES: 'image, stylesheet',
      RENDERER_ALLOW_THIRD_PARTY: 'true',
      CRAWLER_ALLOW_HOSTS: '127.0.0.1,localhost',
    });
    expect(config.RENDERER_BLOCK_TYPES).toEqual(['image', 'stylesheet']);
    expect(config.RENDERER_ALLOW_THIRD_PARTY).toBe(true);
    expect(config.CRAWLER_ALLOW_HOSTS).toEqual(['127.0.0.1', 'localhost']);
    expect(() => loadConfig({ RENDERER_CONCURRENCY: '0' })).toThrow(/RENDERER_CONCURRENCY/);
    expect(() => loadConfig({ RENDERER_ALLOW_THIRD_PARTY: 'maybe' })).toThrow(/RENDERER_ALLOW_THIRD_PARTY/);
    // The same network-guard checks as the crawler's: a broken CIDR is a clear settings error.
    expect(() => loadConfig({ CRAWLER_ALLOW_HOSTS: '10.0.0.0/abc' })).toThrow(/CRAWLER_ALLOW_HOSTS/);
  });
});
