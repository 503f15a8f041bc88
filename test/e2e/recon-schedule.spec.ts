import type { ServiceProcess } from '@pt/dev-stack';
import { startSuite, waitFor, type Suite } from '@pt/testing';

/**
 * The daily reconciliation schedule, read in an IANA time zone, on two replicas: both fire
 * every minute, and the statement day is reconciled once, by one of them (the run lock and
 * the record of scheduled runs are in PostgreSQL).
 */
describe('scheduled reconciliation', () => {
  let suite: Suite;
  let second: ServiceProcess | undefined;
  const CHANNEL = 'schedpay';
  const schedule = { RECON_SCHEDULE_CRON: '* * * * *', RECON_TIME_ZONE: 'Asia/Shanghai', RECON_SCHEDULE_CHANNELS: CHANNEL };

  /** The fire time each replica announced when it started. */
  const announcedNext = (lines: string[]) => {
    const line = lines.find((l) => l.includes('daily reconciliation scheduled'));
    const next = line ? /"next":"([^"]+)"/.exec(line)?.[1] : undefined;
    return next ? Date.parse(next) : undefined;
  };

  const scheduledRuns = async () =>
    (
      await suite.db.query(
        `SELECT id, period_start::text AS day, status, settings->>'timeZone' AS zone FROM reconciliation.recon_runs WHERE channel = $1 AND requested_by = 'SCHEDULE' ORDER BY started_at`,
        [CHANNEL],
      )
    ).rows as { id: string; day: string; status: string; zone: string }[];

  beforeAll(async () => {
    suite = await startSuite('recon-schedule', ['reconciliation'], schedule);
    second = await suite.startInstance('reconciliation', schedule);
  });

  afterAll(async () => {
    await second?.stop();
    await suite?.stop();
  });

  // Up to a minute to the first fire, the run, then a second fire a minute later: more than
  // the suite's default budget of 120 s per test on a loaded machine.
  it('reconciles yesterday (Asia/Shanghai) once, though both replicas fire every minute', async () => {
    const fires = await waitFor('both replicas to announce their schedule', async () => {
      const a = announcedNext(suite.services.reconciliation!.output);
      const b = announcedNext(second!.output);
      return a && b ? [a, b] : undefined;
    });
    const runs = await waitFor(
      'the scheduled run to succeed',
      async () => {
        const rows = await scheduledRuns();
        return rows.some((r) => r.status === 'SUCCEEDED') ? rows : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 500 },
    );
    const expectedDays = [-1, 0].map((minutesLater) =>
      new Date(Math.max(...fires) + minutesLater * 60_000 + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10),
    );
    expect(expectedDays).toContain(runs[0].day);
    expect(runs[0].zone).toBe('Asia/Shanghai');

    // Both replicas fire again a minute later; the day is done, so neither runs it again.
    const secondFires = Math.max(...fires) + 60_000;
    await waitFor(
      'both replicas to have fired a second time',
      async () => Date.now() > secondFires + 5_000 && (await scheduledRuns()).every((r) => r.status !== 'RUNNING'),
      {
        timeoutMs: 150_000,
        intervalMs: 1_000,
      },
    );
    const after = await scheduledRuns();
    expect(after.filter((r) => r.day === runs[0].day)).toEqual([expect.objectContaining({ id: runs[0].id, status: 'SUCCEEDED' })]);
    expect(second!.child.exitCode).toBeNull();
  }, 330_000);
});
