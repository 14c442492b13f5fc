/**
 * The audit log file (`--audit-log-path`): one JSON event per line, appended as
 * it happens. When a line would take the file past `--audit-log-maxsize`
 * megabytes it is renamed to `<name>-<UTC time>.<ext>` and a new file begins;
 * backups beyond `--audit-log-maxbackup` or older than `--audit-log-maxage`
 * days are removed. `-` writes to standard output instead.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { AuditEvent, AuditSink } from './event';

export interface AuditLogFileOptions {
  path: string;
  /** Megabytes before rotation; 0: never rotate. */
  maxSizeMB: number;
  /** Rotated files kept; 0: all. */
  maxBackups: number;
  /** Days rotated files are kept; 0: forever. */
  maxAgeDays: number;
  /** Told when a write fails (events are not retried). */
  onError?: (err: Error) => void;
}

const MB = 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;

/** `2006-01-02T15-04-05.000`, as backups are named (no colons, sortable). */
function backupTime(date: Date): string {
  return date.toISOString().replace('Z', '').replace(/:/g, '-');
}

export class AuditLogFile implements AuditSink {
  private fd: number;
  private size: number;
  private readonly toStdout: boolean;
  private closed = false;

  constructor(private readonly options: AuditLogFileOptions) {
    this.toStdout = options.path === '-';
    if (this.toStdout) {
      this.fd = 1;
      this.size = 0;
    } else {
      mkdirSync(path.dirname(options.path), { recursive: true, mode: 0o700 });
      this.fd = openSync(options.path, 'a', 0o600);
      this.size = fstatSync(this.fd).size;
    }
  }

  write(event: AuditEvent): void {
    // Closed on shutdown: the descriptor number may belong to another file by now.
    if (this.closed) return;
    const line = Buffer.from(`${JSON.stringify(event)}\n`);
    try {
      if (!this.toStdout && this.options.maxSizeMB > 0 && this.size > 0 && this.size + line.length > this.options.maxSizeMB * MB) this.rotate();
      writeSync(this.fd, line);
      this.size += line.length;
    } catch (err) {
      this.options.onError?.(err as Error);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.toStdout) closeSync(this.fd);
  }

  private rotate(): void {
    closeSync(this.fd);
    const { dir, name, ext } = path.parse(this.options.path);
    renameSync(this.options.path, path.join(dir, `${name}-${backupTime(new Date())}${ext}`));
    this.fd = openSync(this.options.path, 'a', 0o600);
    this.size = 0;
    this.prune(dir, name, ext);
  }

  private prune(dir: string, name: string, ext: string): void {
    const backups = readdirSync(dir)
      .filter((f) => f.startsWith(`${name}-`) && f.endsWith(ext))
      .sort()
      .reverse()
      .map((f) => path.join(dir, f));
    const cutoff = Date.now() - this.options.maxAgeDays * DAY_MS;
    backups.forEach((file, i) => {
      const tooMany = this.options.maxBackups > 0 && i >= this.options.maxBackups;
      const tooOld = this.options.maxAgeDays > 0 && statSync(file).mtimeMs < cutoff;
      if (tooMany || tooOld) unlinkSync(file);
    });
  }
}
