import { SERVICE_NAMES, projectRoot, serviceEntry, startInfrastructure, type Infrastructure } from '@pt/dev-stack';
import { spawnSync } from 'node:child_process';
import pg from 'pg';

export interface BenchInfrastructure {
  infra: Infrastructure;
  stop: () => Promise<void>;
}

/**
 * PostgreSQL and Kafka for the bench (throw-away ones on free ports unless DATABASE_URL /
 * KAFKA_BROKERS are set) and a migrated template database, so that each scenario's suite
 * gets a fresh database of its own exactly as the end-to-end tests do.
 */
export async function startBenchInfrastructure(say: (line: string) => void): Promise<BenchInfrastructure> {
  const templateDb = `pt_bench_template_${process.pid}`;
  const infra = await startInfrastructure({ mode: 'throwaway', root: projectRoot(), databaseName: templateDb, say, env: process.env });
  const templateUrl = new URL(infra.adminUrl);
  templateUrl.pathname = `/${templateDb}`;
  try {
    for (const name of SERVICE_NAMES) {
      const result = spawnSync(process.execPath, [serviceEntry(name, 'migrate.js')], {
        env: { ...process.env, DATABASE_URL: templateUrl.toString() },
        encoding: 'utf8',
      });
      if (result.status !== 0) throw new Error(`migrating the template database failed: ${result.stderr.trim()}`);
    }
  } catch (error) {
    await infra.stop();
    throw error;
  }
  // startSuite (libs/testing) reads these, as it does under `npm test`.
  process.env.TEST_PG_ADMIN_URL = infra.adminUrl;
  process.env.TEST_TEMPLATE_DB = templateDb;
  process.env.KAFKA_BROKERS = infra.kafkaBrokers;
  delete process.env.DATABASE_URL;
  return {
    infra,
    stop: async () => {
      if (!infra.embedded.postgres) {
        const client = new pg.Client({ connectionString: infra.adminUrl });
        await client.connect().catch(() => undefined);
        await client.query(`DROP DATABASE IF EXISTS "${templateDb}" WITH (FORCE)`).catch(() => undefined);
        await client.end().catch(() => undefined);
      }
      await infra.stop();
    },
  };
}
