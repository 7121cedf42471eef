// When the language server dies: restart it, tell the user once, and give up if it keeps dying.

export type CrashDecision = 'restart-and-tell' | 'restart' | 'give-up';

export class CrashPolicy {
  private crashes: number[] = [];
  private told = false;

  constructor(
    /** Crashes tolerated within `windowMs` before giving up. */
    private readonly maxCrashes = 5,
    private readonly windowMs = 3 * 60_000,
  ) {}

  onCrash(now: number): CrashDecision {
    this.crashes = this.crashes.filter((t) => now - t < this.windowMs);
    this.crashes.push(now);
    if (this.crashes.length > this.maxCrashes) return 'give-up';
    if (this.told) return 'restart';
    this.told = true;
    return 'restart-and-tell';
  }

  /** After a manual restart the user knows what is going on: count afresh (but never tell twice). */
  reset(): void {
    this.crashes = [];
  }
}
