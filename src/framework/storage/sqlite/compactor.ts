/**
 * Compaction of superseded revisions, in the manner of kine: a window of recent
 * revisions is kept and everything older that a later write replaced is removed,
 * in short transactions so writers (here or in other processes) never wait long.
 */
import type { RevisionLog } from './revision-log';

/** Revisions compacted per transaction. */
const STEP_REVISIONS = 1000;

export class Compactor {
  private queue: Promise<void> = Promise.resolve();
  /** The compacted revision as far as this process knows (others may be further). */
  private known: number;
  private automaticPending = false;
  private closed = false;

  /**
   * @param window revisions kept behind the newest one by automatic compaction;
   *   it runs once twice that many have piled up.
   */
  constructor(
    private readonly log: RevisionLog,
    private readonly window: number,
  ) {
    this.known = log.compactRevision();
  }

  get compactedRevision(): number {
    return this.known;
  }

  /** Called after each local commit with the newest revision. */
  noteRevision(revision: number): void {
    if (this.automaticPending || revision - this.known < 2 * this.window) return;
    this.automaticPending = true;
    this.compact(revision - this.window)
      .catch(() => {
        // Another process holding the write lock past the busy timeout; the next commit retries.
      })
      .finally(() => {
        this.automaticPending = false;
      });
  }

  /** Removes history older than `revision`; runs after any compaction already under way. */
  compact(revision: number): Promise<void> {
    const run = this.queue.then(() => this.run(revision));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Waits for a compaction under way and refuses new ones. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
  }

  private async run(revision: number): Promise<void> {
    while (!this.closed) {
      const before = this.known;
      this.known = this.log.compactStep(revision, STEP_REVISIONS);
      if (this.known >= revision || this.known === before) break;
      // Let writes and reads run between steps.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
