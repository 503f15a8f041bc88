import { setTimeout as sleep } from 'node:timers/promises';
import { IntervalTask } from './interval-task.js';

describe('IntervalTask', () => {
  it('runs on its interval, one run at a time, and keeps going after a failure', async () => {
    let active = 0;
    let overlapped = false;
    let runs = 0;
    const errors: unknown[] = [];
    const task = new IntervalTask(
      async () => {
        active += 1;
        overlapped ||= active > 1;
        runs += 1;
        await sleep(15);
        active -= 1;
        if (runs === 1) throw new Error('first run fails');
      },
      5,
      (error) => errors.push(error),
    );
    task.start();
    const deadline = Date.now() + 10_000;
    while (runs < 3 && Date.now() < deadline) await sleep(10);
    await task.stop();
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(overlapped).toBe(false);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('first run fails');
  });

  it('starts no run after stop, and stop waits for the one under way', async () => {
    let finished = 0;
    const task = new IntervalTask(
      async () => {
        await sleep(30);
        finished += 1;
      },
      5,
      () => undefined,
    );
    task.start();
    const deadline = Date.now() + 10_000;
    while (finished === 0 && Date.now() < deadline) await sleep(5);
    await task.stop();
    const atStop = finished;
    expect(atStop).toBeGreaterThanOrEqual(1);
    await sleep(60);
    expect(finished).toBe(atStop);
    await task.runOnce();
    expect(finished).toBe(atStop);
  });
});
