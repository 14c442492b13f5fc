/**
 * Notices when files change on disk — certificates and keys replaced in place or
 * by rename, as cert-manager and kubeadm do — so the server can reload them
 * without a restart. Watches the folders (a rename replaces the file the
 * watcher would hold) and also checks at an interval, for file systems that do
 * not report changes.
 */
import { statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

export interface FileWatchOptions {
  /** Fallback check interval; default one minute, as kube-apiserver's dynamic certificates. */
  intervalMs?: number;
  /** Changes arriving within this time are handled once (a cert and key written one after the other). */
  settleMs?: number;
}

/** Size, modification time and inode of each file; '' for a missing one. */
function fingerprint(files: readonly string[]): string {
  return files
    .map((file) => {
      try {
        const s = statSync(file);
        return `${s.ino}:${s.size}:${s.mtimeMs}`;
      } catch {
        return '';
      }
    })
    .join('|');
}

/** Calls onChange after any of the files changes; returns a function that stops watching. */
export function watchFiles(files: readonly string[], onChange: () => void, options: FileWatchOptions = {}): () => void {
  let seen = fingerprint(files);
  let settleTimer: NodeJS.Timeout | undefined;
  const check = () => {
    settleTimer = undefined;
    const now = fingerprint(files);
    if (now === seen) return;
    seen = now;
    onChange();
  };
  const soon = () => {
    if (settleTimer === undefined) settleTimer = setTimeout(check, options.settleMs ?? 200);
  };
  const names = new Set(files.map((f) => path.basename(f)));
  const watchers: FSWatcher[] = [];
  for (const dir of new Set(files.map((f) => path.dirname(f)))) {
    try {
      const watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (name === null || names.has(name.toString())) soon();
      });
      watcher.on('error', () => watcher.close());
      watchers.push(watcher);
    } catch {
      // The interval check still covers this folder.
    }
  }
  const interval = setInterval(check, options.intervalMs ?? 60_000);
  interval.unref();
  return () => {
    clearInterval(interval);
    clearTimeout(settleTimer);
    for (const watcher of watchers) watcher.close();
  };
}
