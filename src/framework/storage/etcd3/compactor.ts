import type { KVClient } from 'etcd3';
import { isCompactedError } from './etcd-errors';

/** The key through which every server compacting one cluster agrees on whose turn it is. */
const COMPACT_REVISION_KEY = Buffer.from('compact_rev_key');

/** Compacts history before `revision`; history that is already gone is no error. */
export async function compactHistory(kv: KVClient, revision: number): Promise<void> {
  try {
    await kv.compact({ revision });
  } catch (err) {
    if (!isCompactedError(err)) throw err;
  }
}

/**
 * Periodic compaction shared by every server of a cluster, as kube-apiserver
 * does it. Each interval a server tries a compare-and-swap on a common key,
 * expecting the key's version it saw last time. The winner compacts to the
 * revision it saw one interval earlier, so at least one interval of history
 * stays for watches and paged lists; a loser learns that another server
 * compacted in this interval and adopts the new version.
 */
export class Compactor {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** The version of the common key when this server last looked. */
  private keyVersion = 0;
  /** The cluster's revision one interval ago: the next compaction target (0 = none yet). */
  private previousRevision = 0;

  constructor(
    private readonly kv: KVClient,
    private readonly intervalMs: number,
  ) {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      void this.compactOnce().finally(() => {
        if (!this.stopped) this.schedule();
      });
    }, this.intervalMs);
    // Compaction alone does not keep a process alive.
    this.timer.unref();
  }

  private async compactOnce(): Promise<void> {
    try {
      const target = this.previousRevision;
      const response = await this.kv.txn({
        compare: [{ key: COMPACT_REVISION_KEY, target: 'Version', result: 'Equal', version: this.keyVersion }],
        success: [{ request_put: { key: COMPACT_REVISION_KEY, value: Buffer.from(String(target)) } }],
        failure: [{ request_range: { key: COMPACT_REVISION_KEY } }],
      });
      this.previousRevision = Number(response.header.revision);
      if (!response.succeeded) {
        this.keyVersion = Number(response.responses[0].response_range.kvs[0]?.version ?? 0);
        return;
      }
      this.keyVersion += 1;
      if (target > 0) await compactHistory(this.kv, target);
    } catch {
      // etcd is unreachable or busy: the next interval tries again, and health checks report the outage.
    }
  }
}
