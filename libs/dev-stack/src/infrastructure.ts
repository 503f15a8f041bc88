import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDatabase, forgetOrphanedRelocatedData, resolvePostgresDataDir, startEmbeddedPostgres } from './embedded-postgres.js';
import { startKafkaBroker } from './kafka-broker.js';
import { freePort, requireNoKafkaSecurityForEmbeddedBroker } from './prerequisites.js';

export interface Infrastructure {
  /** URL of the suite's database. */
  databaseUrl: string;
  /** URL of the maintenance database on the same server (to create/drop databases). */
  adminUrl: string;
  kafkaBrokers: string;
  embedded: { postgres: boolean; kafka: boolean };
  stop: () => Promise<void>;
}

export interface InfrastructureOptions {
  mode: 'persistent' | 'throwaway';
  root: string;
  databaseName: string;
  say: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

function adminUrlOf(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

/**
 * Brings up PostgreSQL and Kafka: the servers named by DATABASE_URL / KAFKA_BROKERS when
 * set, otherwise embedded ones (persistent under .data/ for `npm start`, throw-away in a
 * temporary folder on free ports for tests).
 */
export async function startInfrastructure(options: InfrastructureOptions): Promise<Infrastructure> {
  const { env, say, root } = options;
  if (!env.KAFKA_BROKERS) requireNoKafkaSecurityForEmbeddedBroker(env);
  const throwaway = options.mode === 'throwaway';
  const scratch = throwaway ? fs.mkdtempSync(path.join(os.tmpdir(), 'payment-triage-test-')) : path.join(root, '.data');
  if (throwaway) fs.chmodSync(scratch, 0o755);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error) => say(`warning: ${(error as Error).message}`));
    if (throwaway) fs.rmSync(scratch, { recursive: true, force: true });
  };

  try {
    let databaseUrl: string;
    let adminUrl: string;
    let embeddedPostgres = false;
    if (env.DATABASE_URL) {
      databaseUrl = env.DATABASE_URL;
      adminUrl = adminUrlOf(databaseUrl);
      say(`using the PostgreSQL at DATABASE_URL`);
    } else {
      const port = throwaway ? await freePort() : Number(env.EMBEDDED_PG_PORT ?? 54329);
      const dataDir = throwaway ? path.join(scratch, 'postgres') : resolvePostgresDataDir(path.join(scratch, 'postgres'));
      if (!throwaway && forgetOrphanedRelocatedData(scratch, dataDir))
        say(`.data/ was deleted since the last start: the database in ${dataDir} was removed with it`);
      say(`starting embedded PostgreSQL on 127.0.0.1:${port} (data: ${dataDir})`);
      const pgServer = await startEmbeddedPostgres({
        dataDir,
        port,
        persistent: !throwaway,
        logFile: path.join(throwaway ? scratch : path.join(scratch, 'logs'), 'postgres.log'),
        settings: throwaway ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {},
      });
      stops.push(async () => {
        say('stopping PostgreSQL');
        await pgServer.stop();
      });
      adminUrl = pgServer.url('postgres');
      databaseUrl = pgServer.url(options.databaseName);
      embeddedPostgres = true;
    }
    await ensureDatabase(adminUrl, new URL(databaseUrl).pathname.slice(1) || options.databaseName);

    let kafkaBrokers: string;
    let embeddedKafka = false;
    if (env.KAFKA_BROKERS) {
      kafkaBrokers = env.KAFKA_BROKERS;
      say(`using the Kafka brokers at KAFKA_BROKERS (${kafkaBrokers})`);
    } else {
      const port = throwaway ? await freePort() : Number(env.KAFKA_PORT ?? 9092);
      const controllerPort = throwaway ? await freePort() : Number(env.KAFKA_CONTROLLER_PORT ?? 9093);
      say(`starting the embedded Kafka broker (KRaft) on 127.0.0.1:${port}`);
      const broker = await startKafkaBroker({
        cacheDir: path.join(root, '.cache'),
        dataDir: path.join(scratch, 'kafka'),
        port,
        controllerPort,
        heapMb: Number(env.KAFKA_HEAP_MB ?? 1024),
        logFile: path.join(throwaway ? scratch : path.join(scratch, 'logs'), 'kafka.log'),
        say,
      });
      stops.push(async () => {
        say('stopping the Kafka broker');
        await broker.stop();
      });
      kafkaBrokers = broker.brokers;
      embeddedKafka = true;
    }
    return { databaseUrl, adminUrl, kafkaBrokers, embedded: { postgres: embeddedPostgres, kafka: embeddedKafka }, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
