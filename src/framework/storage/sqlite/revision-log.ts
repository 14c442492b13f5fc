/**
 * The revisioned log over one SQLite connection: prepared statements for every read
 * and write the backend makes. Names are full keys (backend prefix included); values
 * are the objects' JSON without resourceVersion, which is the row id.
 */
import type { Connection } from './schema';

/** One write as the log stores it; a delete row carries the last value. */
export interface LogRow {
  id: number;
  name: string;
  deleted: boolean;
  /** The row this one supersedes; 0 for a create. */
  prevId: number;
  value: string;
  /** The superseded row's value when still stored (watch predicates need it). */
  prevValue: string | null;
}

/** The live state of one key: its latest row. */
export interface LatestRow {
  name: string;
  id: number;
  value: string;
}

export type WriteOp =
  | { kind: 'create'; name: string; value: string }
  | { kind: 'update'; name: string; expectedId: number; value: string; prevValue: string }
  | { kind: 'delete'; name: string; expectedId: number; prevValue: string };

/** 'exists': a create found the key; 'conflict': the key's latest row is not `expectedId`. */
export type WriteOutcome = { ok: true; row: LogRow } | { ok: false; reason: 'exists' | 'conflict' };

interface RawLogRow {
  id: number;
  name: string;
  deleted: number;
  prev_revision: number;
  value: string;
  prev_value: string | null;
}

export class RevisionLog {
  private readonly stmt;

  constructor(private readonly db: Connection) {
    this.stmt = {
      currentRevision: db.prepare<[], number>(`SELECT seq FROM sqlite_sequence WHERE name = 'log'`).pluck(),
      compactRevision: db.prepare<[], number>(`SELECT value FROM meta WHERE key = 'compact_revision'`).pluck(),
      setCompactRevision: db.prepare<[number, number]>(`UPDATE meta SET value = ? WHERE key = 'compact_revision' AND value < ?`),
      latest: db.prepare<[string], LatestRow>(`SELECT c.name, c.id, l.value FROM current c JOIN log l ON l.id = c.id WHERE c.name = ?`),
      currentId: db.prepare<[string], number>(`SELECT id FROM current WHERE name = ?`).pluck(),
      latestInRange: db.prepare<[string, string, number], LatestRow>(
        `SELECT c.name, c.id, l.value FROM current c JOIN log l ON l.id = c.id
         WHERE c.name >= ? AND c.name < ? ORDER BY c.name LIMIT ?`,
      ),
      // The latest row at or below a revision per key, streamed in key order (both
      // ORDER BYs let SQLite walk the (name, id) index without sorting).
      atRevisionInRange: db.prepare<[string, string, number, number], LatestRow>(
        `SELECT l.name, l.id, l.value FROM (
           SELECT name, max(id) AS id FROM log WHERE name >= ? AND name < ? AND id <= ? GROUP BY name ORDER BY name
         ) m JOIN log l ON l.id = m.id WHERE l.deleted = 0 ORDER BY m.name LIMIT ?`,
      ),
      countInRange: db.prepare<[string, string], number>(`SELECT count(*) FROM current WHERE name >= ? AND name < ?`).pluck(),
      rowsAfter: db.prepare<[number, number, number], RawLogRow>(
        `SELECT l.id, l.name, l.deleted, l.prev_revision, l.value, p.value AS prev_value
         FROM log l LEFT JOIN log p ON p.id = l.prev_revision
         WHERE l.id > ? AND l.id <= ? ORDER BY l.id LIMIT ?`,
      ),
      rowsAfterInRange: db.prepare<[number, number, string, string, number], RawLogRow>(
        `SELECT l.id, l.name, l.deleted, l.prev_revision, l.value, p.value AS prev_value
         FROM log l LEFT JOIN log p ON p.id = l.prev_revision
         WHERE l.id > ? AND l.id <= ? AND l.name >= ? AND l.name < ? ORDER BY l.id LIMIT ?`,
      ),
      insert: db.prepare<[string, number, number, string]>(`INSERT INTO log (name, deleted, prev_revision, value) VALUES (?, ?, ?, ?)`),
      setCurrent: db.prepare<[string, number]>(`INSERT OR REPLACE INTO current (name, id) VALUES (?, ?)`),
      dropCurrent: db.prepare<[string]>(`DELETE FROM current WHERE name = ?`),
      // A row is superseded once a later row of its key exists at or below the
      // compacted revision; a delete row has no use below it.
      dropSuperseded: db.prepare<[number, number]>(
        `DELETE FROM log WHERE id IN (SELECT prev_revision FROM log WHERE id > ? AND id <= ? AND prev_revision > 0)`,
      ),
      dropDeleteRows: db.prepare<[number, number]>(`DELETE FROM log WHERE id > ? AND id <= ? AND deleted = 1`),
    };
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  currentRevision(): number {
    return this.stmt.currentRevision.get() ?? 0;
  }

  compactRevision(): number {
    return this.stmt.compactRevision.get() ?? 0;
  }

  latest(name: string): LatestRow | undefined {
    return this.stmt.latest.get(name);
  }

  /** Live keys in [start, end), in key order. */
  latestInRange(start: string, end: string, limit: number): LatestRow[] {
    return this.stmt.latestInRange.all(start, end, limit);
  }

  /** Keys in [start, end) as they were at `revision`, in key order; needs revision >= the compacted one. */
  atRevisionInRange(revision: number, start: string, end: string, limit: number): LatestRow[] {
    return this.stmt.atRevisionInRange.all(start, end, revision, limit);
  }

  countInRange(start: string, end: string): number {
    return this.stmt.countInRange.get(start, end) ?? 0;
  }

  /** Rows with after < id <= upTo, in revision order, optionally only keys in [start, end). */
  rowsAfter(after: number, upTo: number, limit: number, range?: { start: string; end: string }): LogRow[] {
    const raw = range
      ? this.stmt.rowsAfterInRange.all(after, upTo, range.start, range.end, limit)
      : this.stmt.rowsAfter.all(after, upTo, limit);
    return raw.map((r) => ({ id: r.id, name: r.name, deleted: r.deleted === 1, prevId: r.prev_revision, value: r.value, prevValue: r.prev_value }));
  }

  /** Runs reads in one transaction, so they see one consistent state. */
  snapshot<T>(read: () => T): T {
    return this.db.transaction(read).deferred();
  }

  /**
   * Applies writes in one transaction, each checked against the state the ones
   * before it left, so batching never weakens compare-and-swap. Takes the write
   * lock up front: a read-then-upgrade transaction could fail at once with
   * SQLITE_BUSY instead of waiting for another process.
   */
  commit(ops: WriteOp[]): WriteOutcome[] {
    return this.db.transaction(() => ops.map((op) => this.apply(op))).immediate();
  }

  /**
   * Compacts up to `revision` at most `maxRevisions` past the present compacted
   * revision, in one short transaction; returns the compacted revision reached.
   */
  compactStep(revision: number, maxRevisions: number): number {
    return this.db
      .transaction(() => {
        const from = this.compactRevision();
        const to = Math.min(revision, from + maxRevisions, this.currentRevision());
        if (to <= from) return from;
        this.stmt.dropSuperseded.run(from, to);
        this.stmt.dropDeleteRows.run(from, to);
        this.stmt.setCompactRevision.run(to, to);
        return to;
      })
      .immediate();
  }

  close(): void {
    this.db.close();
  }

  private apply(op: WriteOp): WriteOutcome {
    const currentId = this.stmt.currentId.get(op.name);
    switch (op.kind) {
      case 'create': {
        if (currentId !== undefined) return { ok: false, reason: 'exists' };
        const row = this.append(op.name, false, 0, op.value, null);
        this.stmt.setCurrent.run(op.name, row.id);
        return { ok: true, row };
      }
      case 'update': {
        if (currentId !== op.expectedId) return { ok: false, reason: 'conflict' };
        const row = this.append(op.name, false, op.expectedId, op.value, op.prevValue);
        this.stmt.setCurrent.run(op.name, row.id);
        return { ok: true, row };
      }
      case 'delete': {
        if (currentId !== op.expectedId) return { ok: false, reason: 'conflict' };
        const row = this.append(op.name, true, op.expectedId, op.prevValue, op.prevValue);
        this.stmt.dropCurrent.run(op.name);
        return { ok: true, row };
      }
    }
  }

  private append(name: string, deleted: boolean, prevId: number, value: string, prevValue: string | null): LogRow {
    const { lastInsertRowid } = this.stmt.insert.run(name, deleted ? 1 : 0, prevId, value);
    return { id: Number(lastInsertRowid), name, deleted, prevId, value, prevValue };
  }
}
