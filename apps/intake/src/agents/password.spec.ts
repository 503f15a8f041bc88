import { hashPassword, passwordMatches } from './password.js';

async function medianMs(runs: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = process.hrtime.bigint();
    await work();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

describe('passwordMatches', () => {
  it('matches the right password only', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(await passwordMatches('correct horse battery', stored)).toBe(true);
    expect(await passwordMatches('correct horse batterY', stored)).toBe(false);
    expect(await passwordMatches('correct horse battery', null)).toBe(false);
  });

  it('takes as long without an agent as with one: a scrypt run either way', async () => {
    const stored = await hashPassword('correct horse battery');
    await passwordMatches('warm-up', null);
    const known = await medianMs(7, () => passwordMatches('a wrong guess', stored));
    const unknown = await medianMs(7, () => passwordMatches('a wrong guess', null));
    // Skipping scrypt would take well under a millisecond against tens of milliseconds.
    expect(known).toBeGreaterThan(5);
    expect(unknown).toBeGreaterThan(known * 0.5);
    expect(unknown).toBeLessThan(known * 2);
  });
});
