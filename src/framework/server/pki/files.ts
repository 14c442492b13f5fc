import { promises as fs } from 'node:fs';
import path from 'node:path';

/** File mode of private keys and kubeconfigs: readable by the owner only. */
export const PRIVATE_FILE_MODE = 0o600;
/** File mode of certificates, which are public. */
export const PUBLIC_FILE_MODE = 0o644;

/** The file's text, or undefined when it does not exist (other read errors are thrown). */
export async function readOptionalFile(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Writes `data` to `file` with `mode`, creating the parent folder (owner-only) if needed.
 * Goes through a temporary file and a rename so that a crash never leaves half a key
 * behind, and so that `mode` (narrowed only by the umask) applies even when the file
 * existed before with another one.
 */
export async function writeFileAtomic(file: string, data: string, mode: number): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, data, { mode });
  await fs.rename(temporary, file);
}
