import type { Etcd3, IDuplexStream, IWatchCreateRequest, IWatchRequest, IWatchResponse } from 'etcd3';

/** One etcd watcher carried by an EtcdWatchStream. */
export interface WatchSubscription {
  /** What to watch; start_revision and watch_id are filled in by the stream. */
  readonly request: Omit<IWatchCreateRequest, 'start_revision' | 'watch_id'>;
  /** The revision to (re)start at: the first one not delivered yet. */
  startRevision(): number;
  /** Every response etcd sends for this watcher: created, events, progress, canceled. */
  onResponse(response: IWatchResponse): void;
}

const MIN_RECONNECT_DELAY_MS = 100;
const MAX_RECONNECT_DELAY_MS = 1000;

/**
 * All watches of one etcd cluster over a single gRPC watch stream, as etcd's own
 * Go client does. Each subscription is one etcd watcher with an id chosen here
 * (etcd ≥ 3.4 accepts client-chosen ids); when the stream breaks (etcd restarted,
 * connection lost) every subscription is created again on a new stream from the
 * first revision it has not delivered, so nothing is skipped or repeated.
 *
 * Watchers are ended with a cancel request, never by cancelling the gRPC call:
 * the etcd3 client treats a cancelled call as a failed host and drops every
 * connection to it.
 */
export class EtcdWatchStream {
  private stream: IDuplexStream<IWatchRequest, IWatchResponse> | undefined;
  private connecting = false;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelayMs = MIN_RECONNECT_DELAY_MS;
  private nextWatchId = 1;
  /** Every live subscription, with its watcher id on the current stream (if created there). */
  private readonly ids = new Map<WatchSubscription, number | undefined>();
  private readonly byId = new Map<number, WatchSubscription>();

  constructor(private readonly client: Etcd3) {}

  add(subscription: WatchSubscription): void {
    if (this.closed) throw new Error('the etcd watch stream is closed');
    this.ids.set(subscription, undefined);
    if (this.stream) this.create(this.stream, subscription);
    else this.connect();
  }

  remove(subscription: WatchSubscription): void {
    const id = this.ids.get(subscription);
    this.ids.delete(subscription);
    if (id === undefined) return;
    this.byId.delete(id);
    this.stream?.write({ cancel_request: { watch_id: id } });
  }

  /** Forgets every subscription; the client's close() tears the stream down. */
  close(): void {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.ids.clear();
    this.byId.clear();
    this.stream = undefined;
  }

  private connect(): void {
    if (this.connecting || this.stream || this.reconnectTimer || this.closed) return;
    this.connecting = true;
    this.client.watchClient.watch().then(
      (stream) => {
        this.connecting = false;
        if (this.closed) return;
        this.stream = stream;
        stream.on('data', (response) => this.dispatch(stream, response));
        stream.on('error', () => this.broken(stream));
        stream.on('end', () => this.broken(stream));
        for (const subscription of this.ids.keys()) this.create(stream, subscription);
      },
      () => {
        this.connecting = false;
        this.scheduleReconnect();
      },
    );
  }

  private create(stream: IDuplexStream<IWatchRequest, IWatchResponse>, subscription: WatchSubscription): void {
    const id = this.nextWatchId++;
    this.ids.set(subscription, id);
    this.byId.set(id, subscription);
    stream.write({ create_request: { ...subscription.request, start_revision: subscription.startRevision(), watch_id: id } });
  }

  private dispatch(stream: IDuplexStream<IWatchRequest, IWatchResponse>, response: IWatchResponse): void {
    if (stream !== this.stream) return;
    this.reconnectDelayMs = MIN_RECONNECT_DELAY_MS;
    const subscription = this.byId.get(Number(response.watch_id));
    if (!subscription) return; // canceled by us; etcd may still have had events in flight
    if (response.canceled) {
      this.ids.delete(subscription);
      this.byId.delete(Number(response.watch_id));
    }
    subscription.onResponse(response);
  }

  private broken(stream: IDuplexStream<IWatchRequest, IWatchResponse>): void {
    if (stream !== this.stream) return;
    this.stream = undefined;
    this.byId.clear();
    for (const subscription of this.ids.keys()) this.ids.set(subscription, undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.ids.size === 0) return;
    const delay = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(delay * 2, MAX_RECONNECT_DELAY_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect();
    }, delay);
  }
}
