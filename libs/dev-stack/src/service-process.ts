import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const SERVICE_NAMES = ['intake', 'reconciliation', 'settlement'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Root of the project (two levels above dist/libs/dev-stack/src or libs/dev-stack/src). */
export function projectRoot(): string {
  let dir = path.dirname(new URL(import.meta.url).pathname);
  while (!fs.existsSync(path.join(dir, 'package.json')) || dir.endsWith('node_modules')) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('project root not found');
    dir = parent;
  }
  return dir;
}

export function serviceEntry(name: string, file = 'main.js'): string {
  return path.join(projectRoot(), 'dist', 'apps', name, 'src', file);
}

export interface ServiceProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** Every line the service wrote, for assertions in tests. */
  output: string[];
  /** Settles when the process has exited, with its exit code or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

export interface SpawnServiceOptions {
  name: string;
  env: NodeJS.ProcessEnv;
  url: string;
  /** Also write each line here (a log file, or the console). */
  onLine?: (line: string) => void;
  entry?: string;
}

/** Starts a built service as a child process and waits until its /readyz answers 200. */
export async function spawnService(options: SpawnServiceOptions, readyTimeoutMs = 60_000): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--enable-source-maps', options.entry ?? serviceEntry(options.name)], {
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      output.push(line);
      options.onLine?.(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const { code } = await exited;
    clearTimeout(timer);
    return code;
  };
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      const reason = output.filter((l) => !l.startsWith('{')).join(' ') || output.slice(-3).join('\n');
      throw new Error(`${options.name} exited during start-up (code ${child.exitCode}): ${reason}`);
    }
    try {
      const res = await fetch(`${options.url}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return { name: options.name, url: options.url, child, output, exited, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop('SIGKILL');
  throw new Error(`${options.name} did not become ready within ${readyTimeoutMs / 1000}s; last output:\n${output.slice(-10).join('\n')}`);
}
