import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { isTransientDbError, isUniqueViolation } from './errors.js';

describe('isTransientDbError', () => {
  it('retries what a lost or busy server causes', () => {
    expect(isTransientDbError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isTransientDbError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientDbError(Object.assign(new Error('could not serialize access'), { code: '40001' }))).toBe(true);
    expect(isTransientDbError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTransientDbError(new QueryFailedError('SELECT 1', [], Object.assign(new Error('deadlock detected'), { code: '40P01' })))).toBe(true);
  });

  it('retries a transaction whose connection was lost between two statements', () => {
    // TypeORM releases the query runner when its connection errors; the next statement says so.
    expect(isTransientDbError(new QueryRunnerAlreadyReleasedError())).toBe(true);
    expect(isTransientDbError(new QueryRunnerProviderAlreadyReleasedError())).toBe(true);
  });

  it('retries a pool that had no connection to give, and statements or locks that timed out', () => {
    // pg-pool's own wording when connectionTimeoutMillis passes with every connection busy.
    expect(isTransientDbError(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(
      isTransientDbError(new QueryFailedError('UPDATE', [], Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }))),
    ).toBe(true);
    expect(
      isTransientDbError(
        new QueryFailedError('SELECT … FOR UPDATE', [], Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' })),
      ),
    ).toBe(true);
    expect(isTransientDbError(new Error('wrapped', { cause: new Error('timeout exceeded when trying to connect') }))).toBe(true);
  });

  it('does not retry what a retry cannot cure', () => {
    expect(isTransientDbError(new QueryFailedError('INSERT', [], Object.assign(new Error('value out of range for type bigint'), { code: '22003' })))).toBe(
      false,
    );
    expect(isTransientDbError(new TypeError('x is undefined'))).toBe(false);
    expect(isTransientDbError(undefined)).toBe(false);
  });

  it('recognises unique violations by constraint', () => {
    const error = new QueryFailedError('INSERT', [], Object.assign(new Error('duplicate key'), { code: '23505', constraint: 'issuances_key_used_once' }));
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(error, 'issuances_key_used_once')).toBe(true);
    expect(isUniqueViolation(error, 'other')).toBe(false);
  });
});
