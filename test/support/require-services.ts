import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Integration tests run against the real Redis and Elasticsearch that
 * `npm test` starts (infra/test.sh). Fail loudly, with what to do, when they are missing.
 * The services they start run compiled: bring the build up to date first
 * (incremental, a few seconds when nothing changed).
 */
export default async function requireServices(): Promise<void> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: 'inherit',
  });
  const redisUrl = process.env.REDIS_URL;
  const esUrl = process.env.ELASTICSEARCH_URL;
  if (!redisUrl || !esUrl) {
    throw new Error(
      'integration tests need REDIS_URL and ELASTICSEARCH_URL; run them through `npm test`, which starts both, ' +
        'or start them with `npm run services:start` and export the two URLs it prints',
    );
  }
  // ELASTICSEARCH_URL may list several nodes (a cluster): the first one answers for it.
  const firstNode = esUrl.split(',')[0]!.trim();
  const res = await fetch(firstNode).catch((error: unknown) => {
    throw new Error(`Elasticsearch at ${esUrl} does not answer`, { cause: error });
  });
  if (res.headers.get('x-elastic-product') !== 'Elasticsearch') {
    throw new Error(`${esUrl} is not Elasticsearch (no X-elastic-product header)`);
  }
}
