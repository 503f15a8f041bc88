import pg from 'pg';
import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import { AfterCommitSubscriber } from './after-commit.js';

export interface ServiceDataSourceSpec {
  url: string;
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize: number;
  applicationName: string;
}

/**
 * A pool client that is never without an 'error' listener.
 *
 * pg-pool takes its own listener off a client when it hands the client out, and TypeORM
 * puts its listener on only once the hand-over promise settles. A connection the server
 * closes right after it was opened (pg_terminate_backend, a failover) can deliver its
 * ReadyForQuery and the FATAL in one read: the error is then emitted in between, with no
 * listener, and Node ends the process. With this listener the error is only noted; the
 * client is left not queryable, so its next statement fails as a lost connection (which
 * callers retry) and the pool discards it on release.
 */
export class ListenedPgClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on('error', () => undefined);
  }
}

/** TypeORM options for one service: its own schema, migrations checked in, never synchronize. */
export function serviceDataSourceOptions(spec: ServiceDataSourceSpec): DataSourceOptions {
  return {
    type: 'postgres',
    url: spec.url,
    schema: spec.schema,
    entities: spec.entities,
    subscribers: [AfterCommitSubscriber],
    migrations: spec.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'all',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: spec.poolSize,
      application_name: spec.applicationName,
      connectionTimeoutMillis: 5000,
      Client: ListenedPgClient,
    },
  };
}

/**
 * Creates the service's schema and applies its pending migrations, serialised across
 * replicas by an advisory lock so two instances starting together do not race.
 */
export async function migrateSchema(url: string, schema: string, dataSource: DataSource): Promise<string[]> {
  const client = new pg.Client({ connectionString: url, application_name: `${schema}-migrate` });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`payment-triage:migrate:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'all' });
    return applied.map((m) => m.name);
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`payment-triage:migrate:${schema}`]).catch(() => undefined);
    await client.end();
  }
}

/** Initialises a data source and runs its migrations. */
export async function openServiceDataSource(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = new DataSource(options);
  const url = (options as { url: string }).url;
  const schema = (options as { schema: string }).schema;
  // The schema must exist before TypeORM looks for its migrations table in it.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`payment-triage:schema:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`payment-triage:schema:${schema}`]);
  } finally {
    await client.end();
  }
  await dataSource.initialize();
  await migrateSchema(url, schema, dataSource);
  return dataSource;
}
