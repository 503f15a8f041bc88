import { isTransientDbError, openServiceDataSource, serviceDataSourceOptions } from '@pt/database';
import { createTestDatabase, waitFor } from '@pt/testing';
import net from 'node:net';
import pg from 'pg';
import type { DataSource } from 'typeorm';

/** A FATAL ErrorResponse as PostgreSQL sends it to a backend it terminates. */
function fatalTerminated(): Buffer {
  const fields = Buffer.concat([
    ...[
      ['S', 'FATAL'],
      ['V', 'FATAL'],
      ['C', '57P01'],
      ['M', 'terminating connection due to administrator command'],
    ].map(([code, text]) => Buffer.from(`${code}${text}\0`, 'utf8')),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header.write('E', 0, 'latin1');
  header.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([header, fields]);
}

/**
 * A TCP proxy in front of PostgreSQL that can kill the next connections the moment they
 * are ready: the server's ReadyForQuery and a FATAL "terminating connection" leave in one
 * write, as they do when a backend is terminated right after it started.
 */
async function terminatingProxy(target: URL) {
  let killed = 0;
  let poisonNext = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    const poison = poisonNext > 0;
    if (poison) poisonNext -= 1;
    let pending = Buffer.alloc(0);
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (!poison) {
        client.write(chunk);
        return;
      }
      // Pass the server's messages (type byte, then length) through; the first
      // ReadyForQuery goes out together with the FATAL.
      pending = Buffer.concat([pending, chunk]);
      let offset = 0;
      while (pending.length - offset >= 5) {
        const type = String.fromCharCode(pending[offset]);
        const length = pending.readInt32BE(offset + 1);
        if (pending.length - offset < length + 1) break;
        offset += length + 1;
        if (type === 'Z') {
          killed += 1;
          client.end(Buffer.concat([pending.subarray(0, offset), fatalTerminated()]));
          upstream.destroy();
          return;
        }
      }
      client.write(pending.subarray(0, offset));
      pending = pending.subarray(offset);
    });
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', closeBoth).on('error', closeBoth);
    upstream.on('close', closeBoth).on('error', closeBoth);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    poison: (count: number) => {
      poisonNext = count;
    },
    killed: () => killed,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('a service connection terminated the moment it opens', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let proxy: Awaited<ReturnType<typeof terminatingProxy>>;
  let dataSource: DataSource | undefined;
  let admin: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase('pool-connection-loss');
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
  });

  afterAll(async () => {
    await dataSource?.destroy().catch(() => undefined);
    await proxy?.close();
    await admin?.end();
    await database?.drop();
  });

  it('fails that statement as a lost connection, keeps the process alive and serves the next one', async () => {
    proxy = await terminatingProxy(new URL(database.url));
    const url = new URL(database.url);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    dataSource = await openServiceDataSource(
      serviceDataSourceOptions({ url: url.toString(), schema: 'probe', entities: [], migrations: [], poolSize: 2, applicationName: 'pool-probe' }),
    );
    const pool = (dataSource.driver as unknown as { master: pg.Pool }).master;

    // Empty the pool the way a failover does, so the next statement needs a new connection.
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pool-probe'`);
    await waitFor('the pool to drop its terminated connections', async () => pool.totalCount === 0);

    proxy.poison(1);
    const lost = await dataSource.query('SELECT 1 AS one').then(
      () => null,
      (error: unknown) => error,
    );
    expect(proxy.killed()).toBe(1);
    expect(lost).not.toBeNull();
    expect(isTransientDbError(lost)).toBe(true);

    // The dead client was discarded: the next statement gets a healthy connection.
    expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    expect(pool.totalCount).toBe(1);
  });
});
