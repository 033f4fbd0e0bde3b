/** Stops the demo's background processes (pid files under <data>/run). */
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './service-process.ts';
import { stopDetached } from './detached.ts';

const runDir = join(resolve(REPO_ROOT, process.env.GAZETTE_DATA_DIR ?? '.data'), 'run');
const stopped = await stopDetached(runDir, ['api', 'crawler', 'parser', 'indexer', 'demo-site']);
console.log(stopped.length ? `stopped ${stopped.join(', ')}` : 'no Gazette processes were running');
