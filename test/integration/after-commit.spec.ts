import { createTestDatabase } from '@pt/testing';
import type { DataSource } from 'typeorm';
import { afterCommit, openServiceDataSource, serviceDataSourceOptions } from '@pt/database';

describe('afterCommit', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('after-commit');
    dataSource = await openServiceDataSource(
      serviceDataSourceOptions({ url: database.url, schema: 'probe', entities: [], migrations: [], poolSize: 2, applicationName: 'after-commit' }),
    );
    await dataSource.query('CREATE TABLE probe.marks (n int)');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('runs the effect once the transaction committed, seeing its rows', async () => {
    const seen: number[] = [];
    await dataSource.transaction(async (m) => {
      await m.query('INSERT INTO probe.marks VALUES (1)');
      afterCommit(m, () => seen.push(1));
      // A savepoint released inside the transaction is not its commit.
      await m.transaction(async (inner) => {
        afterCommit(inner, () => seen.push(2));
      });
      expect(seen).toEqual([]);
    });
    expect(seen).toEqual([1, 2]);
  });

  it('never runs it when the transaction rolls back, and runs it at once outside one', async () => {
    const seen: string[] = [];
    await expect(
      dataSource.transaction(async (m) => {
        await m.query('INSERT INTO probe.marks VALUES (2)');
        afterCommit(m, () => seen.push('rolled back'));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    // The next transaction on a fresh runner carries nothing over.
    await dataSource.transaction(async (m) => {
      afterCommit(m, () => seen.push('committed'));
    });
    afterCommit(dataSource.manager, () => seen.push('no transaction'));
    expect(seen).toEqual(['committed', 'no transaction']);
    expect(await dataSource.query('SELECT n FROM probe.marks ORDER BY n')).toEqual([{ n: 1 }]);
  });

  it('a failing effect does not make the committed transaction look failed', async () => {
    await expect(
      dataSource.transaction(async (m) => {
        afterCommit(m, () => {
          throw new Error('effect failed');
        });
        return 'done';
      }),
    ).resolves.toBe('done');
  });
});
