/**
 * Runs `workers` senders for `durationMs`. Each sends one message at a time and waits
 * for it to be acknowledged; with `perWorkerPerSecond` it stops after that many in a
 * second and waits for the next second, which is how autocannon applies `overallRate`
 * to its connections, so the raw baseline sees the same arrival shape as the HTTP runs.
 */
export async function paced(workers: number, durationMs: number, perWorkerPerSecond: number | undefined, send: () => Promise<void>): Promise<number> {
  const started = Date.now();
  const end = started + durationMs;
  let sent = 0;
  // Whole requests per worker, the remainder to the first ones, as autocannon splits overallRate.
  const budgetOf = (i: number) =>
    perWorkerPerSecond === undefined ? Number.POSITIVE_INFINITY : Math.floor(perWorkerPerSecond) + (i < Math.round((perWorkerPerSecond % 1) * workers) ? 1 : 0);
  const worker = async (i: number) => {
    let second = 0;
    let budget = budgetOf(i);
    while (Date.now() < end) {
      const nowSecond = Math.floor((Date.now() - started) / 1000);
      if (nowSecond !== second) {
        second = nowSecond;
        budget = budgetOf(i);
      }
      if (budget <= 0) {
        await new Promise((r) => setTimeout(r, Math.max(1, started + (second + 1) * 1000 - Date.now())));
        continue;
      }
      budget -= 1;
      await send();
      sent += 1;
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, i) => worker(i)));
  return sent;
}

/** Splits a rate over connections the way autocannon does (never more connections than requests per second). */
export function connectionsFor(rate: number, wanted: number): number {
  return Math.max(1, Math.min(wanted, Math.floor(rate)));
}
