/**
 * Group commit: writes submitted during one turn of the event loop go to SQLite in
 * one transaction, so one commit (and its WAL append) serves many callers.
 */
import type { LogRow, RevisionLog, WriteOp, WriteOutcome } from './revision-log';

interface PendingWrite {
  op: WriteOp;
  resolve: (outcome: WriteOutcome) => void;
  reject: (err: unknown) => void;
}

export class WriteBatcher {
  private pending: PendingWrite[] = [];
  private scheduled = false;

  /** `committed` receives the rows of each transaction, in revision order, right after it commits. */
  constructor(
    private readonly log: RevisionLog,
    private readonly committed: (rows: LogRow[]) => void,
  ) {}

  submit(op: WriteOp): Promise<WriteOutcome> {
    return new Promise((resolve, reject) => {
      this.pending.push({ op, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    let outcomes: WriteOutcome[];
    try {
      outcomes = this.log.commit(batch.map((w) => w.op));
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    batch.forEach((w, i) => w.resolve(outcomes[i]));
    const rows: LogRow[] = [];
    for (const outcome of outcomes) if (outcome.ok) rows.push(outcome.row);
    if (rows.length > 0) this.committed(rows);
  }
}
