import { recheckRetryDelayMs, summarizeRecheckError } from './recheck-failures.js';

describe('the back-off of a failing re-check', () => {
  it('doubles from the base after each failure in a row', () => {
    expect([1, 2, 3, 4, 5].map((n) => recheckRetryDelayMs(n, 30_000, 10_000_000))).toEqual([30_000, 60_000, 120_000, 240_000, 480_000]);
  });

  it('never pauses longer than the maximum', () => {
    expect(recheckRetryDelayMs(6, 30_000, 300_000)).toBe(300_000);
    expect(recheckRetryDelayMs(1_000, 30_000, 300_000)).toBe(300_000);
  });

  it('treats zero or fewer failures as the first', () => {
    expect(recheckRetryDelayMs(0, 500, 10_000)).toBe(500);
  });
});

describe('the summary of a re-check error', () => {
  it('names the class, the PostgreSQL code and the message', () => {
    const error = Object.assign(new Error('relation "x" does not exist'), { code: '42P01' });
    expect(summarizeRecheckError(error)).toBe('Error 42P01: relation "x" does not exist');
  });

  it('leaves out credentials, connection-string passwords and long tokens', () => {
    const summary = summarizeRecheckError(
      new Error('connect postgres://svc:hunter2@db:5432/pt failed; password=hunter2 token: eyJhbGciOiJIUzI1NiJ9abcdefghijkl secret "s3 cr3t"'),
    );
    expect(summary).not.toMatch(/hunter2|eyJhbGci|s3 cr3t/);
    expect(summary).toContain('postgres://[redacted]@db:5432/pt');
    expect(summary).toContain('password=[redacted]');
  });

  it('is one short line', () => {
    const summary = summarizeRecheckError(new Error(`line one\n${'word '.repeat(100)}`));
    expect(summary).not.toContain('\n');
    expect(summary.length).toBeLessThanOrEqual(160);
  });

  it('copes with what is not an Error', () => {
    expect(summarizeRecheckError('boom')).toBe('string: boom');
    expect(summarizeRecheckError(undefined)).toBe('undefined: unknown error');
  });
});
