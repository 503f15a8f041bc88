import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '@pt/dev-stack';

export interface ReconOutcome {
  available: boolean;
  /** The script's last lines, which carry its figures. */
  output: string[];
  exitCode: number | null;
}

/** Runs `npm run bench:recon` when this build has it; it reports its own figures. */
export async function runBulkReconciliation(say: (line: string) => void): Promise<ReconOutcome> {
  const root = projectRoot();
  const scripts = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  if (!scripts['bench:recon']) return { available: false, output: [], exitCode: null };
  const lines: string[] = [];
  const exitCode = await new Promise<number | null>((resolve) => {
    const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'bench:recon'], {
      cwd: root,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(line);
        say(`  bench:recon | ${line}`);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('exit', (code) => resolve(code));
  });
  return { available: true, output: lines.slice(-20), exitCode };
}
