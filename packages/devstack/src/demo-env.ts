/** The metrics-port setting of each service the demo runs. */
export const METRICS_PORT_SETTINGS = {
  crawler: 'CRAWLER_METRICS_PORT',
  parser: 'PARSER_METRICS_PORT',
  indexer: 'INDEXER_METRICS_PORT',
} as const;

/**
 * The metrics ports the demo gives its services: the operator's settings when given, else 0 (a
 * free port, so the demo never collides with a running deployment). Logs go to files: JSON, which
 * the demo reads its services' ready lines from.
 */
export function demoServiceEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return {
    ...Object.fromEntries(Object.values(METRICS_PORT_SETTINGS).map((name) => [name, env[name] ?? '0'])),
    LOG_FORMAT: 'json',
  };
}

/**
 * Where each service serves its metrics, from the port in its ready line (`opsPort`, the one it
 * bound) and OPS_HOST (a wildcard host is reached on loopback); the api serves them on its own port.
 */
export function metricsUrls(
  ready: Record<string, Record<string, unknown>>,
  api: string,
  opsHost = '127.0.0.1',
): Array<{ service: string; url: string }> {
  const host = opsHost === '0.0.0.0' || opsHost === '::' || opsHost === '' ? '127.0.0.1' : opsHost;
  const out: Array<{ service: string; url: string }> = [];
  for (const service of Object.keys(METRICS_PORT_SETTINGS)) {
    const port = ready[service]?.opsPort;
    if (typeof port === 'number' && port > 0)
      out.push({ service, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics` });
  }
  out.push({ service: 'api', url: `${api}/metrics` });
  return out;
}
