/**
 * One watch over a key range of the log. It first reads the history it asked for
 * from the log, page by page, and then takes rows from the hub as they commit; the
 * switch happens in one synchronous step, so no revision is missed or repeated.
 */
import { newInternalError, newResourceExpired } from '../../api/status';
import type { SelectionPredicate, StoredObject, WatchEvent, Watcher } from '../interface';
import { EventQueue } from '../event-queue';
import { decodeObject } from './object-codec';
import type { LatestRow, LogRow, RevisionLog } from './revision-log';
import type { HubSubscriber, WatchHub } from './watch-hub';

const REPLAY_PAGE = 1000;

export interface SqliteWatcherOptions {
  log: RevisionLog;
  hub: WatchHub;
  /** Full names in [start, end) are watched. */
  range: { start: string; end: string };
  predicate?: SelectionPredicate;
  /** Period of progress bookmarks; 0 sends none. */
  progressIntervalMs: number;
  /** Called once when the watch ends, for whatever reason. */
  onEnd: (watcher: SqliteWatcher) => void;
}

export class SqliteWatcher implements Watcher, HubSubscriber {
  private readonly channel = new EventQueue<WatchEvent>();
  /** Every revision up to here has been considered for this watch. */
  private cursor = 0;
  private caughtUp = false;
  private progressTimer: NodeJS.Timeout | undefined;
  private sentSinceBookmark = false;
  private finished = false;

  constructor(private readonly options: SqliteWatcherOptions) {}

  get live(): boolean {
    return this.caughtUp && !this.channel.isEnded;
  }

  /**
   * Starts after `revision`, first sending `initial` as ADDED (those the predicate
   * keeps) and, when asked, the initial-events-end bookmark.
   */
  start(revision: number, initial: LatestRow[] = [], initialEventsEnd = false): void {
    this.cursor = revision;
    for (const row of initial) {
      const object = this.decodeMatching(row.value, row.id);
      if (object) this.send({ type: 'ADDED', object });
    }
    if (initialEventsEnd) this.send(bookmark(revision, { 'k8s.io/initial-events-end': 'true' }));
    this.options.hub.add(this);
    this.catchUp();
    if (this.options.progressIntervalMs > 0 && !this.finished) {
      this.progressTimer = setInterval(() => this.sendProgress(), this.options.progressIntervalMs);
      this.progressTimer.unref();
    }
  }

  deliver(rows: LogRow[]): void {
    for (const row of rows) {
      if (this.channel.isEnded) return;
      if (row.id <= this.cursor) continue;
      this.cursor = row.id;
      if (row.name < this.options.range.start || row.name >= this.options.range.end) continue;
      try {
        const event = this.toEvent(row);
        if (event) this.send(event);
      } catch (err) {
        this.abort(err instanceof Error ? err.message : String(err));
      }
    }
  }

  expire(compactedRevision: number): void {
    this.fail({ ...newResourceExpired(`too old resource version: ${this.cursor} (${compactedRevision})`).status });
  }

  abort(reason: string): void {
    this.fail({ ...newInternalError(reason).status });
  }

  stop(): void {
    if (!this.channel.isEnded) this.channel.stop();
    this.finish();
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    return this.channel[Symbol.asyncIterator]();
  }

  /** Reads the history between the cursor and the hub's position, then goes live. */
  private catchUp(): void {
    if (this.channel.isEnded) return;
    const { log, hub, range } = this.options;
    const target = hub.position;
    const { compacted, rows } = log.snapshot(() => ({
      compacted: log.compactRevision(),
      rows: this.cursor < target ? log.rowsAfter(this.cursor, target, REPLAY_PAGE, range) : [],
    }));
    if (compacted > this.cursor) {
      this.expire(compacted);
      return;
    }
    this.deliver(rows);
    if (rows.length === REPLAY_PAGE) {
      // Let other work run between pages of a long replay.
      setImmediate(() => this.catchUpSafely());
      return;
    }
    this.cursor = Math.max(this.cursor, target);
    this.caughtUp = true;
  }

  private catchUpSafely(): void {
    try {
      this.catchUp();
    } catch (err) {
      this.abort(err instanceof Error ? err.message : String(err));
    }
  }

  private toEvent(row: LogRow): WatchEvent | undefined {
    const { predicate } = this.options;
    if (!predicate) {
      const object = decodeObject(row.value, row.id);
      if (row.deleted) return { type: 'DELETED', object };
      return { type: row.prevId === 0 ? 'ADDED' : 'MODIFIED', object };
    }
    // With a filter, the change is judged by the state before and after it.
    const after = row.deleted ? undefined : decodeObject(row.value, row.id);
    const beforeValue = row.deleted ? row.value : row.prevValue;
    const before = beforeValue === null || (row.prevId === 0 && !row.deleted) ? undefined : decodeObject(beforeValue, row.id);
    const afterMatches = after !== undefined && predicate(after);
    const beforeMatches = before !== undefined && predicate(before);
    if (afterMatches) return { type: beforeMatches ? 'MODIFIED' : 'ADDED', object: after };
    if (beforeMatches) return { type: 'DELETED', object: before };
    return undefined;
  }

  private decodeMatching(value: string, revision: number): StoredObject | undefined {
    const object = decodeObject(value, revision);
    return !this.options.predicate || this.options.predicate(object) ? object : undefined;
  }

  private send(event: WatchEvent): void {
    this.sentSinceBookmark = true;
    this.channel.push(event);
  }

  private sendProgress(): void {
    if (this.live && !this.sentSinceBookmark) this.channel.push(bookmark(this.cursor));
    this.sentSinceBookmark = false;
  }

  /** Sends one ERROR event and ends the watch after it. */
  private fail(status: StoredObject): void {
    if (this.channel.isEnded) return;
    this.channel.push({ type: 'ERROR', object: status });
    this.channel.end();
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearInterval(this.progressTimer);
    this.progressTimer = undefined;
    this.options.hub.remove(this);
    this.options.onEnd(this);
  }
}

function bookmark(revision: number, annotations?: Record<string, string>): WatchEvent {
  return { type: 'BOOKMARK', object: { metadata: { resourceVersion: String(revision), ...(annotations ? { annotations } : {}) } } };
}
