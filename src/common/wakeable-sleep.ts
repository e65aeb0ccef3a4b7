/**
 * A background loop's pause that shutdown can end at once: `wake()` resolves the sleep in
 * progress (if any) and clears its timer, so the loop sees it is stopping without waiting it out.
 */
export class WakeableSleep {
  private wakeUp: (() => void) | undefined;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = undefined;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
    });
  }

  wake(): void {
    this.wakeUp?.();
  }
}
