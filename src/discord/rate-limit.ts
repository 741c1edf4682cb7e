// A sliding one-minute window per user: at most `perMinute` questions.
const WINDOW_MS = 60_000;

export class RateLimiter {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a question; returns 0 when allowed, otherwise the seconds until the next one is. */
  take(userId: string): number {
    const now = this.now();
    const times = (this.recent.get(userId) ?? []).filter((t) => now - t < WINDOW_MS);
    if (times.length >= this.perMinute) {
      this.recent.set(userId, times);
      return Math.max(1, Math.ceil((times[0] + WINDOW_MS - now) / 1000));
    }
    times.push(now);
    this.recent.set(userId, times);
    if (this.recent.size > 10_000) this.forgetIdle(now);
    return 0;
  }

  private forgetIdle(now: number): void {
    for (const [user, times] of this.recent) if (times.every((t) => now - t >= WINDOW_MS)) this.recent.delete(user);
  }
}
