import { describe, expect, it } from 'vitest';
import { demoServiceEnv, metricsUrls } from './demo-env.ts';

describe('the demo', () => {
  it("honours the services' metrics-port settings, else picks free ports, and logs JSON", () => {
    expect(demoServiceEnv({ CRAWLER_METRICS_PORT: '9301', LOG_FORMAT: 'pretty' })).toEqual({
      CRAWLER_METRICS_PORT: '9301',
      PARSER_METRICS_PORT: '0',
      INDEXER_METRICS_PORT: '0',
      LOG_FORMAT: 'json',
    });
  });

  it('prints the metrics URL of every service from the port it bound', () => {
    const ready = { crawler: { opsPort: 9301 }, parser: { opsPort: 40123 }, indexer: { opsPort: 40124 }, api: {} };
    expect(metricsUrls(ready, 'http://127.0.0.1:8080')).toEqual([
      { service: 'crawler', url: 'http://127.0.0.1:9301/metrics' },
      { service: 'parser', url: 'http://127.0.0.1:40123/metrics' },
      { service: 'indexer', url: 'http://127.0.0.1:40124/metrics' },
      { service: 'api', url: 'http://127.0.0.1:8080/metrics' },
    ]);
    expect(metricsUrls(ready, 'http://127.0.0.1:8080', '0.0.0.0')[0]!.url).toBe('http://127.0.0.1:9301/metrics');
    expect(metricsUrls({ crawler: {} }, 'http://a:1').map((m) => m.service)).toEqual(['api']);
  });
});
