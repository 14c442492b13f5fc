import type { IEvent, IWatchResponse } from 'etcd3';
import { newInternalError, newResourceExpired, type Status } from '../../api/status';
import type { SelectionPredicate, StoredObject, WatchEvent, Watcher } from '../interface';
import { decodeObject, withResourceVersion } from './codec';
import { EventQueue } from '../event-queue';
import type { EtcdWatchStream, WatchSubscription } from './watch-stream';

export interface EtcdWatchSpec {
  /** The etcd key, or the first key of the watched range. */
  key: Buffer;
  /** End of the watched range (exclusive) for a prefix watch. */
  rangeEnd?: Buffer;
  /** Changes after this revision are delivered. */
  afterRevision: number;
  predicate?: SelectionPredicate;
  /**
   * Turn etcd's progress notifications into BOOKMARK events. etcd sends them to
   * a quiet, caught-up watcher every --experimental-watch-progress-notify-interval
   * (10 minutes unless configured; a few seconds gives the cadence StorageInterface
   * promises). etcd 3.4's on-demand progress request is not used: before 3.4.24 it
   * can report a revision ahead of events not yet sent.
   */
  progressNotify: boolean;
}

/**
 * One storage watch: an etcd watcher (with previous values, for DELETED objects
 * and for predicate transitions) whose responses become WatchEvents in revision
 * order. It remembers the first revision it has not delivered, which is where
 * the watch stream re-creates it after a reconnection.
 */
export class EtcdWatch implements Watcher, WatchSubscription {
  readonly request: WatchSubscription['request'];
  private readonly events = new EventQueue<WatchEvent>(() => this.stop());
  private nextRevision: number;
  private stopped = false;

  /**
   * @param initialEvents delivered before any change (the state a watch without
   *   a resourceVersion starts with)
   * @param onStopped called once when the watch ends, however it ends
   */
  constructor(
    private readonly stream: EtcdWatchStream,
    private readonly spec: EtcdWatchSpec,
    initialEvents: WatchEvent[],
    private readonly onStopped: (watch: EtcdWatch) => void,
  ) {
    this.request = { key: spec.key, range_end: spec.rangeEnd, prev_kv: true, progress_notify: spec.progressNotify };
    this.nextRevision = spec.afterRevision + 1;
    for (const event of initialEvents) this.events.push(event);
    stream.add(this);
  }

  startRevision(): number {
    return this.nextRevision;
  }

  onResponse(response: IWatchResponse): void {
    if (this.stopped) return;
    if (response.canceled) {
      this.finish(canceledEvent(response));
    } else if (response.events.length > 0) {
      this.deliver(response.events);
    } else if (!response.created) {
      this.progress(Number(response.header.revision));
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stream.remove(this);
    this.events.stop();
    this.onStopped(this);
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    return this.events[Symbol.asyncIterator]();
  }

  private deliver(events: IEvent[]): void {
    try {
      for (const event of events) {
        const watchEvent = toWatchEvent(event, this.spec.predicate);
        if (watchEvent) this.events.push(watchEvent);
      }
    } catch (err) {
      this.finish(errorEvent(newInternalError((err as Error).message).status));
      return;
    }
    // All events of one revision arrive in one response, so the next one starts after it.
    this.nextRevision = Number(events[events.length - 1].kv.mod_revision) + 1;
  }

  /** A progress notification (only sent when asked for): etcd has sent everything up to `revision`. */
  private progress(revision: number): void {
    // A watch that started ahead of etcd hears of revisions it must not report.
    if (revision < this.nextRevision - 1) return;
    this.nextRevision = revision + 1;
    this.events.push({ type: 'BOOKMARK', object: { metadata: { resourceVersion: String(revision) } } });
  }

  /** Delivers a last event and ends the stream after it. */
  private finish(event: WatchEvent): void {
    this.stopped = true;
    this.stream.remove(this);
    this.events.push(event);
    this.events.end();
    this.onStopped(this);
  }
}

/**
 * The WatchEvent of one etcd event, or nothing when the predicate hides it.
 * With a predicate, an object that stops matching is DELETED (its last matching
 * state at the revision of the change) and one that starts matching is ADDED.
 */
function toWatchEvent(event: IEvent, predicate: SelectionPredicate | undefined): WatchEvent | undefined {
  const { kv, prev_kv: prevKV } = event;
  const key = kv.key.toString('utf8');
  if (event.type === 'Delete') {
    if (!prevKV) throw new Error(`etcd reported the deletion of ${key} without its previous value`);
    const last = decodeObject(key, prevKV.value, kv.mod_revision);
    return !predicate || predicate(last) ? { type: 'DELETED', object: last } : undefined;
  }
  const current = decodeObject(key, kv.value, kv.mod_revision);
  const created = kv.create_revision === kv.mod_revision;
  if (!predicate) return { type: created ? 'ADDED' : 'MODIFIED', object: current };

  const previous = !created && prevKV ? decodeObject(key, prevKV.value, prevKV.mod_revision) : undefined;
  const matchedBefore = previous !== undefined && predicate(previous);
  if (predicate(current)) return { type: matchedBefore ? 'MODIFIED' : 'ADDED', object: current };
  return matchedBefore ? { type: 'DELETED', object: withResourceVersion(previous, kv.mod_revision) } : undefined;
}

function canceledEvent(response: IWatchResponse): WatchEvent {
  if (response.compact_revision !== '0') {
    return errorEvent(newResourceExpired('The resourceVersion for the provided watch is too old.').status);
  }
  return errorEvent(newInternalError(`etcd canceled the watch: ${response.cancel_reason || 'no reason given'}`).status);
}

function errorEvent(status: Status): WatchEvent {
  // A Status travels in the object slot of an ERROR event, as on the wire.
  return { type: 'ERROR', object: status as unknown as StoredObject };
}
