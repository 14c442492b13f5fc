/**
 * Runs nginx for the controller: `nginx -t` to check a configuration, and the
 * reload (by default `nginx -s reload`, or an operator's own command through
 * /bin/sh, such as `systemctl reload nginx`). Both report failure as nginx's own
 * error message, without timestamps and process ids, so that the same error
 * reads the same every time.
 */
import { execFile } from 'node:child_process';

export interface NginxInvocation {
  /** The nginx binary. */
  binary: string;
  /** `-p`: the prefix the running nginx was started with. */
  prefix?: string;
  /** `-c`: the main configuration file the running nginx was started with. */
  conf?: string;
  /** Replaces `<binary> [-p] [-c] -s reload`; run by /bin/sh. */
  reloadCommand?: string;
}

const COMMAND_TIMEOUT_MS = 30_000;
const ERROR_LINE = /\[(emerg|alert|crit|error)\]\s+(?:\d+#\d+:\s+)?(.*)$/;

/** The error lines of nginx's output (`[emerg] ...`), or all of it when it has none. */
export function nginxErrorMessage(output: string): string {
  const errors = output
    .split('\n')
    .map((line) => ERROR_LINE.exec(line)?.[2]?.trim())
    .filter((line): line is string => Boolean(line));
  return errors.length > 0 ? errors.join('; ') : output.trim();
}

function run(file: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: COMMAND_TIMEOUT_MS }, (err, stdout, stderr) => {
      if (!err) return resolve(undefined);
      const output = `${stderr}${stdout}`;
      resolve(nginxErrorMessage(output) || `${file} failed: ${err.message}`);
    });
  });
}

export class NginxCommands {
  constructor(private readonly invocation: NginxInvocation) {}

  /** Checks the configuration nginx would load; resolves with the error, or undefined when it is fine. */
  test(): Promise<string | undefined> {
    return run(this.invocation.binary, [...this.locationArgs(), '-t', '-q']);
  }

  /** Tells the running nginx to load its configuration again; resolves with the error, if any. */
  reload(): Promise<string | undefined> {
    const { reloadCommand, binary } = this.invocation;
    if (reloadCommand) return run('/bin/sh', ['-c', reloadCommand]);
    return run(binary, [...this.locationArgs(), '-s', 'reload']);
  }

  private locationArgs(): string[] {
    const { prefix, conf } = this.invocation;
    return [...(prefix ? ['-p', prefix] : []), ...(conf ? ['-c', conf] : [])];
  }
}
