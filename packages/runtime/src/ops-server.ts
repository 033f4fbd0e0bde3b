import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/**
 * One readiness check: resolves `true` when its dependency can do its part, or a short reason
 * (`"archive-full"`, `"no PONG"`) when it cannot. A check that throws fails with the error's message.
 */
export type ReadinessCheck = () => Promise<true | string> | true | string;

export interface OpsServerOptions {
  port: number;
  host?: string;
  registry: Registry;
  /** Named readiness checks (`redis`, `elasticsearch`, `archive`...), all run on each `/readyz`. */
  checks: Record<string, ReadinessCheck>;
}

export interface Readiness {
  status: 'ready' | 'not-ready';
  /** Each check's outcome: `ok`, or the reason it failed. */
  checks: Record<string, string>;
}

/** A readiness check on a Redis connection (a single node or a cluster). */
export function redisCheck(connection: { ping(): Promise<string> }): ReadinessCheck {
  return async () => ((await connection.ping()) === 'PONG' ? true : 'no PONG from Redis');
}

/** Runs every check at once; the process is ready when all of them pass. */
export async function checkReadiness(checks: Record<string, ReadinessCheck>): Promise<Readiness> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, string]> => {
      try {
        const outcome = await check();
        return [name, outcome === true ? 'ok' : outcome || 'failed'];
      } catch (error) {
        return [name, error instanceof Error ? error.message : String(error)];
      }
    }),
  );
  const ready = entries.every(([, outcome]) => outcome === 'ok');
  return { status: ready ? 'ready' : 'not-ready', checks: Object.fromEntries(entries) };
}

/**
 * The small HTTP server every worker process exposes: `/healthz` (the process
 * is alive), `/readyz` (its dependencies answer; 503 names the check that failed and why) and
 * `/metrics` (Prometheus).
 */
export async function startOpsServer(options: OpsServerOptions): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (path === '/readyz') {
      void checkReadiness(options.checks).then((readiness) => {
        res
          .writeHead(readiness.status === 'ready' ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify(readiness));
      });
      return;
    }
    if (path === '/metrics') {
      options.registry
        .metrics()
        .then((body) => res.writeHead(200, { 'content-type': options.registry.contentType }).end(body))
        .catch((error: unknown) => res.writeHead(500).end(String(error)));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
