/** How often a running job's row is read again: its progress moves faster than the page's 5 s refresh. */
const FOLLOW_MS = 1000;

/** Reads a section again every second while one of its jobs runs, whether auto-refresh is on or not. */
export class RunningJobFollower {
  private timer: number | undefined;

  constructor(private readonly reread: () => Promise<void>) {}

  /** Called after each render: schedules the next read while a job runs (one timer at most). */
  update(running: boolean): void {
    if (!running || this.timer !== undefined) return;
    this.timer = window.setTimeout(() => {
      this.timer = undefined;
      // A failure shows at the page's next refresh, which reads the same route.
      this.reread().catch(() => undefined);
    }, FOLLOW_MS);
  }
}
