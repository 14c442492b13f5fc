/**
 * The storage seam. Every backend (etcd3, sqlite) and the watch cache implement
 * StorageInterface; nothing above this file knows which one it talks to.
 *
 * Objects cross the seam as plain JSON objects (already converted to the storage
 * version by the registry). Backends set `metadata.resourceVersion` on every object
 * they return to the backend's revision at which that object was last written,
 * as an opaque decimal string. Keys are paths below the backend's prefix, e.g.
 * `/nginx.example.com/upstreams/default/web` — the backend adds its prefix.
 */

export interface StoredObject {
  metadata: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/** Conditions a write or delete checks against the current object; a mismatch is a Conflict. */
export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

/** Decides whether an object is visible to a list or watch (label and field selectors). */
export type SelectionPredicate = (obj: StoredObject) => boolean;

export interface GetOptions {
  /** Return null instead of throwing NotFound. */
  ignoreNotFound?: boolean;
  /** "" (or unset): most recent (quorum read); "0": any; otherwise not older than this revision. */
  resourceVersion?: string;
}

export interface ListOptions {
  /** "" (or unset): most recent; "0": any; otherwise see resourceVersionMatch. */
  resourceVersion?: string;
  /** With a resourceVersion other than "" and "0": "NotOlderThan" (default) or "Exact". */
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  /**
   * Maximum items to return; 0 or unset = no limit. Counts only items that pass the
   * predicate: every page but the last holds exactly `limit` items.
   */
  limit?: number;
  /**
   * Opaque token from a previous page: unpadded base64url of JSON `{v: "meta.k8s.io/v1", rv, start}`
   * (start = the key, relative to the listed prefix, to resume at), as kube-apiserver
   * writes it. Every page is read at the first page's revision. A malformed token is
   * 'InvalidArgument'; one older than the compacted revision is 'Expired' carrying
   * the current revision, so the caller can suggest a fresh list.
   */
  continue?: string;
  predicate?: SelectionPredicate;
}

export interface ListResult {
  items: StoredObject[];
  /** The revision the list is consistent at. */
  resourceVersion: string;
  /** Present when more items remain. */
  continue?: string;
  /** Items left after this page when the backend knows it cheaply (before filtering). */
  remainingItemCount?: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  /**
   * The object after the change (for DELETED: the last state, with the deletion's
   * revision as resourceVersion). BOOKMARK: only `metadata.resourceVersion` (and
   * annotations for the initial-events-end marker). ERROR: a meta/v1 Status.
   */
  object: StoredObject;
}

export interface WatchOptions {
  /**
   * "" or unset: send the current state (including every write acknowledged before
   * the watch call) as ADDED events, then changes.
   * "0": the same (any recent state will do). N: changes after revision N only;
   * a revision older than the compacted one yields one ERROR event (410 Expired) and the end.
   */
  resourceVersion?: string;
  /** Watch every key below `key` (a prefix ending in "/") rather than one key. */
  recursive?: boolean;
  /**
   * Objects leaving the predicate become DELETED (carrying the last matching state at
   * the revision of the change), entering ones ADDED.
   */
  predicate?: SelectionPredicate;
  /**
   * Send BOOKMARK events carrying the current revision from time to time: within a
   * few seconds (at most 10) of quiet. A bookmark's revision is never behind an event
   * already sent.
   */
  progressNotify?: boolean;
  /**
   * With sendInitialEvents the current state is sent as ADDED first (as for "" above,
   * even when a revision is given, at a state not older than it), and then one
   * BOOKMARK annotated `k8s.io/initial-events-end: "true"`.
   */
  sendInitialEvents?: boolean;
}

/**
 * A running watch: an async stream of events, in revision order with no gap and no
 * duplicate, that ends when stopped or on error. A watch that outlives a restart of
 * the backend either goes on without a gap or ends (the caller resumes from the
 * last revision it saw); it never stalls silently.
 */
export interface Watcher extends AsyncIterable<WatchEvent> {
  /** Ends the stream; idempotent. Pending iteration finishes with `done`. */
  stop(): void;
}

export interface UpdateOptions {
  preconditions?: Preconditions;
  /** When the key is missing, call tryUpdate with null instead of throwing NotFound (create on update). */
  ignoreNotFound?: boolean;
  /**
   * Computes the new object from the current one. May throw to veto (the error is
   * passed through). Returning an object equal to the current one writes nothing
   * and returns the current object. Called again with a fresh read after a lost
   * compare-and-swap, so it must not have side effects.
   */
  tryUpdate: (current: StoredObject | null) => Promise<StoredObject> | StoredObject;
  /** A recent copy of the current object (e.g. from the cache); saves a read when it is still current. */
  suggestion?: StoredObject;
}

export interface DeleteOptions {
  preconditions?: Preconditions;
  /** Checked against the current object before deleting; may throw to veto. */
  validateDeletion?: (current: StoredObject) => Promise<void> | void;
}

export interface StorageInterface {
  /** Stores a new object; throws StorageError 'AlreadyExists' when the key exists. */
  create(key: string, obj: StoredObject): Promise<StoredObject>;

  /** Reads one object; throws StorageError 'NotFound' unless ignoreNotFound. */
  get(key: string, opts?: GetOptions): Promise<StoredObject | null>;

  /** Lists the objects below a prefix key (ending in "/"), in key order. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;

  /** Read-modify-write with compare-and-swap, retried until it sticks. */
  guaranteedUpdate(key: string, opts: UpdateOptions): Promise<StoredObject>;

  /** Deletes and returns the last state (resourceVersion = the deletion's revision). */
  delete(key: string, opts?: DeleteOptions): Promise<StoredObject>;

  /** Starts a watch on a key, or on a prefix with recursive. */
  watch(key: string, opts?: WatchOptions): Promise<Watcher>;

  /** Number of objects below a prefix (for apiserver_storage_objects). */
  count(prefix: string): Promise<number>;

  /** The backend's current revision (a quorum read). */
  currentRevision(): Promise<string>;

  /** Removes history older than the revision; watches and continue tokens from before it get 410. */
  compact(revision: string): Promise<void>;

  /** Resolves when the backend answers; rejects with the reason otherwise. */
  healthCheck(): Promise<void>;

  /** Ends every watch and releases connections. */
  close(): Promise<void>;
}
