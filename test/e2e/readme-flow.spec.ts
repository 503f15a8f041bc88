import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, projectRoot } from '@pt/dev-stack';
import { holds, promisedFields, readmeBlock, readmeSteps, type ReadmeStep } from '@pt/testing';

/**
 * The README's walk-through, run as a new user runs it: `npm start` in a fresh copy of
 * the project (its own `.data/`, a database of its own on the test PostgreSQL, the test
 * broker under a topic prefix of its own, free ports), then the README's own shell blocks,
 * command by command, in one shell session that keeps its variables. The placeholders a
 * reader fills in by hand (`<ticketNumber>`, `<id>`, `<alice password>`, the merchant key
 * `pt_live_...`) are filled from the answers before them, the banner and
 * `.data/demo-secrets.json`; every `"field":"value"` the README shows under a command
 * must be in its answer. A change to the API that leaves the README behind fails here.
 */
describe("the README's Try it flow, on a fresh npm start", () => {
  const root = projectRoot();
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  let copy = '';
  let start: ChildProcess | null = null;
  let banner = '';
  let databaseName = '';
  const ports = { intake: 0, reconciliation: 0, settlement: 0 };
  const answers: unknown[] = [];

  const adminUrl = () => {
    const url = process.env.TEST_PG_ADMIN_URL;
    if (!url) throw new Error('TEST_PG_ADMIN_URL is not set: run the tests with `npm test`');
    return url;
  };

  beforeAll(async () => {
    // A fresh copy: the sources, the manifest and the lock; dependencies and the pinned
    // Node are shared (read only), everything else (dist/, .data/) is the copy's own.
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'payment-triage-readme-'));
    fs.chmodSync(copy, 0o755);
    for (const entry of ['apps', 'libs', '.swcrc', 'package.json', 'package-lock.json', 'README.md']) {
      fs.cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
    }
    for (const shared of ['node_modules', '.runtime']) {
      if (fs.existsSync(path.join(root, shared))) fs.symlinkSync(path.join(root, shared), path.join(copy, shared));
    }

    databaseName = `readme_${Math.random().toString(36).slice(2, 10)}`;
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${databaseName}"`);
    await admin.end();
    const databaseUrl = new URL(adminUrl());
    databaseUrl.pathname = `/${databaseName}`;

    ports.intake = await freePort();
    ports.reconciliation = await freePort();
    ports.settlement = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
      HOME: process.env.HOME ?? os.homedir(),
      DATABASE_URL: databaseUrl.toString(),
      KAFKA_BROKERS: process.env.KAFKA_BROKERS,
      KAFKA_TOPIC_PREFIX: `readme${Math.random().toString(36).slice(2, 8)}-`,
      INTAKE_PORT: String(ports.intake),
      RECONCILIATION_PORT: String(ports.reconciliation),
      SETTLEMENT_PORT: String(ports.settlement),
    };
    start = spawn(process.execPath, [path.join(copy, 'libs', 'dev-stack', 'bootstrap.mjs'), 'start'], {
      cwd: copy,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    start.stdout!.on('data', (chunk: Buffer) => (banner += chunk.toString()));
    start.stderr!.on('data', (chunk: Buffer) => (banner += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`npm start did not finish within 300 s:\n${banner.slice(-3000)}`)), 300_000);
      const check = setInterval(() => {
        if (banner.includes('Press Ctrl-C to stop everything.')) {
          clearTimeout(deadline);
          clearInterval(check);
          resolve();
        }
      }, 250);
      start!.once('exit', (code) => {
        clearTimeout(deadline);
        clearInterval(check);
        reject(new Error(`npm start exited (code ${code}) before it was ready:\n${banner.slice(-3000)}`));
      });
    });
  }, 330_000);

  afterAll(async () => {
    if (start?.pid && start.exitCode === null) {
      const stopped = new Promise((resolve) => start!.once('exit', resolve));
      process.kill(-start.pid, 'SIGTERM');
      await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 30_000))]);
      if (start.exitCode === null) process.kill(-start.pid, 'SIGKILL');
    }
    start?.stdout?.destroy();
    start?.stderr?.destroy();
    start?.unref();
    if (databaseName) {
      const admin = new pg.Client({ connectionString: adminUrl() });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
      await admin.end();
    }
    if (copy) fs.rmSync(copy, { recursive: true, force: true });
  }, 60_000);

  const secrets = () => JSON.parse(fs.readFileSync(path.join(copy, '.data', 'demo-secrets.json'), 'utf8')) as Record<string, string>;

  /** The value a reader would paste for a placeholder: from the last answer that has it. */
  const lastAnswered = (field: string): string => {
    for (const answer of [...answers].reverse()) {
      const value = (answer as Record<string, unknown> | null)?.[field];
      if (typeof value === 'string') return value;
    }
    throw new Error(`no earlier answer carried "${field}" for the README's <${field}>`);
  };

  const fillIn = (command: string): string => {
    let filled = command
      .replaceAll('127.0.0.1:3000', `127.0.0.1:${ports.intake}`)
      .replaceAll('127.0.0.1:3001', `127.0.0.1:${ports.reconciliation}`)
      .replaceAll('127.0.0.1:3002', `127.0.0.1:${ports.settlement}`);
    if (filled.includes('pt_live_...')) {
      const key = /merchant API key of [^\n]*\n\s+(\S+)/.exec(banner)?.[1];
      if (!key) throw new Error('the banner printed no merchant API key');
      filled = filled.replaceAll('pt_live_...', key);
    }
    filled = filled.replace(/<([^<>]+)>/g, (whole, name: string) => {
      if (name === 'ticketNumber' || name === 'id') return lastAnswered(name);
      if (name === 'alice password') return secrets().agentPassword;
      throw new Error(`the README's ${whole} is a placeholder this test does not know how to fill in`);
    });
    return filled;
  };

  const stateFile = () => path.join(copy, '.readme-shell-state');

  /** Runs one command in the shell session the README's blocks share; variables carry over. */
  const runStep = (command: string) => {
    const script = `set -a\n[ -f ${stateFile()} ] && . ${stateFile()}\n${command}\nstatus=$?\nexport -p > ${stateFile()}\nexit $status\n`;
    return spawnSync('bash', ['-c', script], {
      cwd: copy,
      encoding: 'utf8',
      timeout: 120_000,
      env: { PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? os.homedir() },
    });
  };

  /** What is wrong with a curl's answer (null: nothing), and the answer when it is JSON. */
  const check = (step: ReadmeStep, stdout: string): { problem: string | null; answer?: unknown } => {
    if (!step.command.startsWith('curl ')) return { problem: null };
    let answer: unknown;
    try {
      answer = JSON.parse(stdout);
    } catch {
      // Not JSON (the CSV export): it must at least not be empty.
      return { problem: stdout.trim() ? null : 'an empty answer' };
    }
    return { problem: problemOf(step, answer, stdout), answer };
  };

  const problemOf = (step: ReadmeStep, answer: unknown, stdout: string): string | null => {
    const body = answer as { error?: unknown; statusCode?: number } | null;
    if (body && typeof body === 'object' && !Array.isArray(body) && (body.error !== undefined || (body.statusCode ?? 0) >= 400)) {
      return `an error: ${stdout.slice(0, 500)}`;
    }
    const missing = promisedFields(step.expected).filter((promised) => !holds(answer, promised));
    return missing.length ? `missing ${missing.map(([f, v]) => `"${f}":${JSON.stringify(v)}`).join(', ')} in ${stdout.slice(0, 800)}` : null;
  };

  const runBlock = async (marker: string) => {
    const steps = readmeSteps(readmeBlock(readme, marker));
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) {
      const command = fillIn(step.command);
      // A read may need a moment (the ticket resolves about a second after the report):
      // it is asked again for up to 30 s; a write is sent once.
      const retries = /-X (POST|PUT|PATCH|DELETE)/.test(command) || /^\w+=/.test(command) ? 1 : 60;
      let problem: string | null = 'not run';
      let answer: unknown;
      for (let attempt = 1; attempt <= retries && problem; attempt += 1) {
        if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 500));
        const result = runStep(command);
        if (result.status !== 0) problem = `exit ${result.status}: ${result.stderr.slice(0, 800)}`;
        else ({ problem, answer } = check(step, result.stdout));
      }
      if (problem) throw new Error(`README step failed:\n  ${step.command}\n${problem}`);
      if (answer !== undefined) answers.push(answer);
    }
  };

  it('reports DEMO-1002, follows the ticket to AUTO_RESOLVED, reveals the key, and shows it to a supervisor', async () => {
    await runBlock('### Try it');
  }, 300_000);

  it('fills the queue with the escalated demo orders and shows an incident and its evidence to an agent', async () => {
    await runBlock('The queue fills once the demo orders that need a person are reported');
    await runBlock('Over HTTP, reading incidents and evidence takes an agent token');
  }, 180_000);

  it('answers the merchant about its payments with the key the banner printed', async () => {
    await runBlock('With the key it printed');
  }, 120_000);
});
