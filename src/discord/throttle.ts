// Progressive edits while an answer streams: at most one edit per interval,
// never two at once, always showing the latest text; stop() waits for the last.
export class ThrottledEditor {
  private latest: string | undefined;
  private shown: string | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private lastEditAt = 0;
  private stopped = false;

  constructor(
    private readonly edit: (content: string) => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
    private readonly intervalMs = 1_000,
  ) {}

  push(content: string): void {
    if (this.stopped) return;
    this.latest = content;
    if (this.timer) return;
    const wait = Math.max(0, this.lastEditAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.inFlight.then(() => this.flush());
    }, wait);
  }

  /** Cancels pending edits and waits for the one under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private async flush(): Promise<void> {
    if (this.stopped || this.latest === undefined || this.latest === this.shown) return;
    const content = this.latest;
    this.lastEditAt = Date.now();
    try {
      await this.edit(content);
      this.shown = content;
    } catch (error) {
      this.onError(error);
    }
  }
}
