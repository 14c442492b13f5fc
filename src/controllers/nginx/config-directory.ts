/**
 * The directory nginx includes (`include <dir>/*.conf;`) and the controller
 * writes. It touches only its own files (names.ts), writes each through a
 * temporary file and a rename, and remembers what it wrote so that unchanged
 * files are left alone.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ConfigFiles } from './config-files';
import { isManagedFile } from './names';

export class ConfigDirectory {
  private onDisk = new Map<string, string>();

  constructor(readonly dir: string) {}

  /** Creates the directory if needed and reads the controller's files in it. */
  async read(): Promise<ConfigFiles> {
    await fs.mkdir(this.dir, { recursive: true });
    const files = new Map<string, string>();
    for (const name of (await fs.readdir(this.dir)).filter(isManagedFile).sort()) {
      files.set(name, await fs.readFile(path.join(this.dir, name), 'utf8'));
    }
    this.onDisk = new Map(files);
    return files;
  }

  /** Makes the controller's files exactly `files`: writes what differs, removes what is not there. */
  async write(files: ConfigFiles): Promise<void> {
    for (const [name, content] of files) {
      if (this.onDisk.get(name) === content) continue;
      // A hidden temporary name never matches the `*.conf` include.
      const temporary = path.join(this.dir, `.${name}.tmp`);
      await fs.writeFile(temporary, content);
      await fs.rename(temporary, path.join(this.dir, name));
      this.onDisk.set(name, content);
    }
    for (const name of [...this.onDisk.keys()]) {
      if (files.has(name)) continue;
      await fs.rm(path.join(this.dir, name), { force: true });
      this.onDisk.delete(name);
    }
  }
}
