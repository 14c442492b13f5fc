/**
 * Feeds committed log rows to the live watches of one database, in revision order.
 * Rows committed in this process arrive straight from the write batcher; rows of
 * other processes on the same file are found by polling the log above the last
 * revision seen, only while watches exist.
 */
import type { LogRow, RevisionLog } from './revision-log';

/** A watch as the hub sees it. */
export interface HubSubscriber {
  /** Caught up to the hub's position: it takes rows from the hub rather than from the log. */
  readonly live: boolean;
  /** The next rows after the hub's position (it skips those it has seen). */
  deliver(rows: LogRow[]): void;
  /** History the subscriber needs was compacted away: it must end with 410. */
  expire(compactedRevision: number): void;
  /** Rows could not be read: it must end with an error, since it would miss them. */
  abort(reason: string): void;
  /** The database is closing. */
  stop(): void;
}

const POLL_PAGE = 1000;

export class WatchHub {
  private dispatched = 0;
  private readonly subscribers = new Set<HubSubscriber>();
  private poller: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: RevisionLog,
    private readonly pollIntervalMs: number,
  ) {}

  /** Every row up to this revision has gone to the live subscribers. */
  get position(): number {
    return this.dispatched;
  }

  add(subscriber: HubSubscriber): void {
    if (this.subscribers.size === 0) {
      // Nobody listened, so nothing was polled: start from the present.
      this.dispatched = this.log.currentRevision();
      this.poller = setInterval(() => this.pollOrAbort(), this.pollIntervalMs);
      this.poller.unref();
    }
    this.subscribers.add(subscriber);
  }

  remove(subscriber: HubSubscriber): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size === 0) {
      clearInterval(this.poller);
      this.poller = undefined;
    }
  }

  /** Rows this process just committed (consecutive revisions). */
  committed(rows: LogRow[]): void {
    if (this.subscribers.size === 0) {
      this.dispatched = rows[rows.length - 1].id;
    } else if (rows[0].id === this.dispatched + 1) {
      this.dispatch(rows);
    } else {
      // Another process wrote in between: read everything after our position in order.
      this.pollOrAbort();
    }
  }

  /** Dispatches the rows committed after our position (by other processes, or by us after them). */
  private poll(): void {
    for (;;) {
      const latest = this.log.currentRevision();
      if (latest <= this.dispatched) return;
      const { compacted, rows } = this.log.snapshot(() => ({
        compacted: this.log.compactRevision(),
        rows: this.log.rowsAfter(this.dispatched, latest, POLL_PAGE),
      }));
      if (compacted > this.dispatched) {
        for (const s of this.subscribers) if (s.live) s.expire(compacted);
        this.dispatched = latest;
        return;
      }
      if (rows.length > 0) this.dispatch(rows);
      if (rows.length < POLL_PAGE) {
        this.dispatched = latest;
        return;
      }
    }
  }

  stopAll(): void {
    for (const s of [...this.subscribers]) s.stop();
    this.subscribers.clear();
    clearInterval(this.poller);
    this.poller = undefined;
  }

  private dispatch(rows: LogRow[]): void {
    for (const s of this.subscribers) if (s.live) s.deliver(rows);
    this.dispatched = rows[rows.length - 1].id;
  }

  /**
   * Polls; when the log cannot be read, the live subscribers end with an error
   * rather than wait silently (their clients resume from the last revision seen).
   */
  private pollOrAbort(): void {
    if (!this.log.isOpen) return;
    try {
      this.poll();
    } catch (err) {
      for (const s of this.subscribers) if (s.live) s.abort(err instanceof Error ? err.message : String(err));
    }
  }
}
