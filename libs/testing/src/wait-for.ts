/**
 * Polls `probe` until it returns a value that is not undefined/false, or fails after the
 * deadline with the description and the last value seen. Never a fixed sleep.
 */
export async function waitFor<T>(
  description: string,
  probe: () => Promise<T | undefined | false | null>,
  { timeoutMs = 30_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      // A probe that hangs (a query on a dead connection) must not hold the wait past its deadline.
      let timer: NodeJS.Timeout | undefined;
      const value = await Promise.race([
        probe(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('the probe itself did not answer before the deadline')), Math.max(deadline - Date.now(), 1000));
        }),
      ]).finally(() => clearTimeout(timer));
      if (value !== undefined && value !== false && value !== null) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
}
