/**
 * A work queue of keys (client-go's rate-limited workqueue): a key waits at most
 * once, is handled by one worker at a time, and when it is added while being
 * handled it is handled again afterwards. A key that failed comes back after a
 * pause that doubles with each failure in a row.
 */
export interface WorkQueueOptions {
  retryInitialMs: number;
  retryMaxMs: number;
}

/** Handles one key; resolves true when it is done, false to be tried again later. */
export type KeyHandler = (key: string) => Promise<boolean>;

export class WorkQueue {
  private readonly ready: string[] = [];
  private readonly waiting = new Set<string>();
  private readonly active = new Set<string>();
  private readonly again = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  /** Idle workers, each waiting for a key. */
  private readonly sleepers: (() => void)[] = [];

  constructor(private readonly options: WorkQueueOptions) {}

  add(key: string): void {
    if (this.active.has(key)) {
      this.again.add(key);
    } else if (!this.waiting.has(key)) {
      this.waiting.add(key);
      this.ready.push(key);
      this.sleepers.shift()?.();
    }
  }

  /** Adds the key after a pause, unless it is due sooner already. */
  addAfter(key: string, ms: number): void {
    const at = Date.now() + ms;
    const pending = this.timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    timer.unref();
    this.timers.set(key, { at, timer });
  }

  /** How many keys wait or are being handled. */
  get length(): number {
    return this.waiting.size + this.active.size;
  }

  /** Handles keys with `workers` at once until the signal aborts. */
  async run(handle: KeyHandler, signal: AbortSignal, workers: number, onError: (key: string, err: unknown) => void): Promise<void> {
    const stopped = new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
    const worker = async () => {
      while (!signal.aborted) {
        const key = this.ready.shift();
        if (key === undefined) {
          await Promise.race([new Promise<void>((resolve) => this.sleepers.push(resolve)), stopped]);
          continue;
        }
        this.waiting.delete(key);
        this.active.add(key);
        let done = false;
        try {
          done = await handle(key);
        } catch (err) {
          if (!signal.aborted) onError(key, err);
        }
        this.active.delete(key);
        if (done) this.failures.delete(key);
        else this.retry(key);
        if (this.again.delete(key)) this.add(key);
      }
    };
    await Promise.all(Array.from({ length: workers }, worker));
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private retry(key: string): void {
    const failures = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, failures);
    this.addAfter(key, Math.min(this.options.retryInitialMs * 2 ** (failures - 1), this.options.retryMaxMs));
  }
}
