import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { entryArgs } from './entry.ts';
import { serviceProcessEnv } from './node-options.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export type ServiceName = 'crawler' | 'parser' | 'indexer' | 'api' | 'renderer';

export interface StartServiceOptions {
  /** Environment on top of the current one. */
  env: Record<string, string>;
  /** Also write the JSON log lines to this file. */
  logFile?: string;
  /** Keep running after the parent exits (demo mode). */
  detached?: boolean;
  /** How long to wait for the service to say it started. */
  timeoutMs?: number;
  /** Extra Node.js flags (e.g. `--cpu-prof`), before the entry point. */
  nodeArgs?: string[];
}

export interface ServiceProcess {
  name: ServiceName;
  child: ChildProcess;
  pid: number;
  /** The first log line the service wrote once ready (holds ports and settings). */
  startedLine: Record<string, unknown>;
  /** Every JSON log line so far, newest last. */
  lines: Array<Record<string, unknown>>;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** SIGTERM and wait; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

const READY_MESSAGES = new Set([
  'crawler started',
  'parser started',
  'indexer started',
  'api listening',
  'renderer started',
]);

/**
 * Starts one Gazette service as its own Node process (its compiled output,
 * or its source through tsx before a build; see `entryArgs`)
 * and resolves once it logs that it started; rejects with its output if it
 * exits or stays silent instead.
 */
export function startService(name: ServiceName, options: StartServiceOptions): Promise<ServiceProcess> {
  const entry = entryArgs(REPO_ROOT, `services/${name}/src/main.ts`);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...entry], {
    cwd: REPO_ROOT,
    // JSON logs: the started line is read from them (a LOG_FORMAT=pretty shell must not change that).
    env: serviceProcessEnv({ ...process.env, LOG_FORMAT: 'json', ...options.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  let log: NodeJS.WritableStream | undefined;
  if (options.logFile) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    log = createWriteStream(options.logFile, { flags: 'a' });
    child.stderr?.pipe(log);
  }
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));

  return new Promise<ServiceProcess>((resolveStart, rejectStart) => {
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      child.kill('SIGKILL');
      rejectStart(
        new Error(`${name} did not start within ${options.timeoutMs ?? 60_000} ms:\n${raw.slice(-30).join('\n')}`),
      );
    }, options.timeoutMs ?? 60_000);
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      log?.write(`${line}\n`);
      raw.push(line);
      if (raw.length > 200) raw.shift();
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      lines.push(parsed);
      if (lines.length > 5000) lines.shift();
      if (!settled && READY_MESSAGES.has(String(parsed.msg))) {
        settled = true;
        clearTimeout(timer);
        const proc: ServiceProcess = {
          name,
          child,
          pid: child.pid!,
          startedLine: parsed,
          lines,
          exited,
          kill: (signal = 'SIGKILL') => {
            child.kill(signal);
          },
          stop: async (graceMs = 30_000) => {
            if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
            child.kill('SIGTERM');
            const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
            const code = await exited;
            clearTimeout(killer);
            return code;
          },
        };
        resolveStart(proc);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => raw.push(chunk.toString()));
    void exited.then((code) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      rejectStart(new Error(`${name} exited with code ${code} before it started:\n${raw.slice(-30).join('\n')}`));
    });
  });
}
