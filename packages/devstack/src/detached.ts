import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync, existsSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { entryArgs } from './entry.ts';
import { REPO_ROOT } from './service-process.ts';
import { waitFor } from './wait.ts';
import { serviceProcessEnv } from './node-options.ts';

export interface DetachedProcess {
  name: string;
  pid: number;
  logFile: string;
  /** The JSON log line in which the process said it was ready. */
  ready: Record<string, unknown>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts an entry point (compiled, or its TypeScript source before a build) as a background process that outlives this
 * one: output goes to `<runDir>/<name>.log`, its pid to `<runDir>/<name>.pid`.
 * Resolves once it logs `readyMessage`.
 */
export async function launchDetached(options: {
  name: string;
  entry: string;
  env: Record<string, string>;
  runDir: string;
  readyMessage: string;
  timeoutMs?: number;
}): Promise<DetachedProcess> {
  mkdirSync(options.runDir, { recursive: true });
  const logFile = join(options.runDir, `${options.name}.log`);
  const pidFile = join(options.runDir, `${options.name}.pid`);
  writeFileSync(logFile, '');
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, entryArgs(REPO_ROOT, options.entry), {
    cwd: REPO_ROOT,
    env: serviceProcessEnv({ ...process.env, ...options.env }),
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  child.unref();
  const pid = child.pid!;
  writeFileSync(pidFile, String(pid));
  const ready = await waitFor(
    () => {
      if (!alive(pid)) throw new Error(`${options.name} exited:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
      for (const line of readFileSync(logFile, 'utf8').split('\n')) {
        if (!line.startsWith('{')) continue;
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (parsed.msg === options.readyMessage) return parsed;
      }
      return null;
    },
    { timeoutMs: options.timeoutMs ?? 60_000, what: `${options.name} to start (log: ${logFile})` },
  ).catch((error: unknown) => {
    if (alive(pid)) process.kill(pid, 'SIGKILL');
    const cause = (error as { cause?: unknown }).cause;
    throw cause instanceof Error ? cause : error;
  });
  return { name: options.name, pid, logFile, ready };
}

/** Stops the processes whose pid files are in `runDir` (SIGTERM, then SIGKILL after the grace time). */
export async function stopDetached(runDir: string, names: string[], graceMs = 30_000): Promise<string[]> {
  const stopped: string[] = [];
  for (const name of names) {
    const pidFile = join(runDir, `${name}.pid`);
    if (!existsSync(pidFile)) continue;
    const pid = Number(readFileSync(pidFile, 'utf8'));
    if (pid > 0 && alive(pid)) {
      process.kill(pid, 'SIGTERM');
      await waitFor(() => !alive(pid), { timeoutMs: graceMs, what: `${name} (pid ${pid}) to stop` }).catch(() => {
        if (alive(pid)) process.kill(pid, 'SIGKILL');
      });
      stopped.push(name);
    }
    rmSync(pidFile, { force: true });
  }
  return stopped;
}

export const runDirFor = (dataDir: string): string => join(dataDir, 'run');
