/**
 * Runs `work` every `intervalMs`, one run at a time (a slow run delays the next instead of
 * overlapping it), until stopped; a run that throws is handed to `onError` and the next
 * one comes on schedule. What must hold across replicas belongs in the work's own SQL
 * (rows claimed with SKIP LOCKED): the timer is only this process's reminder to look.
 */
export class IntervalTask {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.runOnce());
    }, this.intervalMs);
    this.timer.unref();
  }

  /** One run now (not overlapping a scheduled one's database work is the work's own affair). */
  async runOnce(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.work();
    } catch (error) {
      this.onError(error);
    }
  }

  /** No run starts after this; resolves once the one under way has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
