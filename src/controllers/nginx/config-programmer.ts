/**
 * Brings nginx to a desired configuration without ever loading a bad one.
 *
 * Every candidate is written to the configuration directory and checked with
 * `nginx -t` before nginx is told to reload; nginx reads its files only on a
 * reload, so a rejected candidate never reaches the running server, and the
 * directory goes back to the last good files at once.
 *
 * The whole desired configuration is tried first. When nginx rejects it, the
 * changes are tried one object at a time on top of the last good files — new and
 * changed upstreams, then virtual servers (rendered against the upstreams nginx
 * then has), then removals — so that one bad object keeps only its own change
 * out, and nginx's message is attributed to the file that caused it.
 */
import type { ConfigDirectory } from './config-directory';
import { sameFiles, withFile, type ConfigFiles } from './config-files';
import type { NginxCommands } from './nginx-commands';

/** One Upstream's file; content null when it has no servers (nginx refuses an empty upstream). */
export interface UpstreamFile {
  /** `namespace/name` of the Upstream. */
  key: string;
  file: string;
  content: string | null;
}

export interface DesiredConfig {
  upstreams: UpstreamFile[];
  /** The virtual server files, rendered against the Upstreams (keys) nginx has a block for. */
  renderVirtualServers(available: ReadonlySet<string>): ConfigFiles;
}

export interface ProgramOutcome {
  /** Every file the desired configuration consists of, as finally rendered. */
  wanted: ConfigFiles;
  /** The files the running nginx was last (re)loaded with. */
  loaded: ConfigFiles;
  /** Files nginx refused (file → nginx's message); the last good version of each stays. */
  rejected: ReadonlyMap<string, string>;
  /** Upstreams (keys) whose blocks the virtual servers were rendered against. */
  available: ReadonlySet<string>;
  /** Whether nginx was reloaded in this call. */
  reloaded: boolean;
  /** Set when the reload failed; `loaded` then is the configuration before it. */
  reloadError?: string;
}

export class ConfigProgrammer {
  private constructor(
    private readonly directory: ConfigDirectory,
    private readonly nginx: NginxCommands,
    /** The last files nginx accepted; what is on disk between calls. */
    private good: ConfigFiles,
    private loaded: ConfigFiles,
  ) {}

  /** Starts from the files already in the directory, taking them as what nginx runs with. */
  static async open(directory: ConfigDirectory, nginx: NginxCommands): Promise<ConfigProgrammer> {
    const existing = await directory.read();
    return new ConfigProgrammer(directory, nginx, existing, existing);
  }

  /** Programs nginx; calls never overlap (the caller serialises them). */
  async program(desired: DesiredConfig): Promise<ProgramOutcome> {
    const rejected = new Map<string, string>();
    let available = new Set(desired.upstreams.filter((u) => u.content !== null).map((u) => u.key));
    let wanted = this.wantedFiles(desired, available);
    if (!sameFiles(wanted, this.good)) {
      if ((await this.check(wanted)) === undefined) {
        this.good = wanted;
      } else {
        ({ available, wanted } = await this.stepByStep(desired, rejected));
        await this.directory.write(this.good);
      }
    }
    let reloadError: string | undefined;
    let reloaded = false;
    if (!sameFiles(this.good, this.loaded)) {
      reloadError = await this.nginx.reload();
      reloaded = reloadError === undefined;
      if (reloaded) this.loaded = this.good;
    }
    return { wanted, loaded: this.loaded, rejected, available, reloaded, reloadError };
  }

  private wantedFiles(desired: DesiredConfig, available: ReadonlySet<string>): ConfigFiles {
    const files = new Map<string, string>();
    for (const u of desired.upstreams) if (u.content !== null) files.set(u.file, u.content);
    for (const [file, content] of desired.renderVirtualServers(available)) files.set(file, content);
    return files;
  }

  /** The per-object fallback; leaves the accepted files in `this.good`. */
  private async stepByStep(desired: DesiredConfig, rejected: Map<string, string>): Promise<{ available: Set<string>; wanted: ConfigFiles }> {
    for (const u of desired.upstreams) {
      if (u.content !== null) await this.tryChange(u.file, u.content, rejected);
    }
    // An upstream nginx has (old or new version) stays usable; one without servers does not.
    const available = new Set(desired.upstreams.filter((u) => u.content !== null && this.good.has(u.file)).map((u) => u.key));
    const virtualServers = desired.renderVirtualServers(available);
    for (const [file, content] of virtualServers) await this.tryChange(file, content, rejected);
    const wanted = this.wantedFiles(desired, available);
    for (const file of [...this.good.keys()]) {
      if (!wanted.has(file)) await this.tryChange(file, null, rejected);
    }
    return { available, wanted };
  }

  private async tryChange(file: string, content: string | null, rejected: Map<string, string>): Promise<void> {
    if ((this.good.get(file) ?? null) === content) return;
    const candidate = withFile(this.good, file, content);
    const error = await this.check(candidate);
    if (error === undefined) this.good = candidate;
    else rejected.set(file, error);
  }

  /** Writes the candidate and runs `nginx -t`; resolves with nginx's error, if any. */
  private async check(candidate: ConfigFiles): Promise<string | undefined> {
    await this.directory.write(candidate);
    return this.nginx.test();
  }
}
