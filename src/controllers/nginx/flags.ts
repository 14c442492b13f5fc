/**
 * The `--nginx-controller*` flags, taken out of a command line before the
 * server's own flags are parsed, and turned into controller options. The
 * controller is on unless `--nginx-controller=false`, and then only when an
 * nginx binary is found; otherwise it stays off and says why in one line.
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import type { NginxControllerOptions } from './controller';

export interface NginxControllerFlags {
  enabled: boolean;
  binary?: string;
  prefix?: string;
  conf?: string;
  configDir?: string;
  reloadCommand?: string;
  listenAddress?: string;
}

type StringFlag = Exclude<keyof NginxControllerFlags, 'enabled'>;

const STRING_FLAGS: Record<string, { field: StringFlag; help: string }> = {
  'nginx-controller-binary': { field: 'binary', help: 'the nginx binary (default: nginx on PATH, or /usr/sbin/nginx)' },
  'nginx-controller-prefix': { field: 'prefix', help: 'the -p prefix nginx runs with (default: its built-in one)' },
  'nginx-controller-conf': { field: 'conf', help: 'the -c main configuration file nginx runs with (default: its built-in one)' },
  'nginx-controller-config-dir': { field: 'configDir', help: 'where the controller writes its files; the main configuration includes <dir>/*.conf (default /etc/nginx/conf.d)' },
  'nginx-controller-reload-command': { field: 'reloadCommand', help: 'how to reload nginx, run by /bin/sh (default: <binary> [-p] [-c] -s reload)' },
  'nginx-controller-listen-address': { field: 'listenAddress', help: 'the address virtual servers listen on (default: every address)' },
};

const ENABLE_FLAG = 'nginx-controller';
export const DEFAULT_CONFIG_DIR = '/etc/nginx/conf.d';
const NGINX_LOCATIONS = ['/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin'];

export function defaultNginxControllerFlags(): NginxControllerFlags {
  return { enabled: true };
}

/**
 * Splits a command line into the controller's flags (`--flag=value` or `--flag value`;
 * `--nginx-controller` alone means true) and everything else, in order.
 */
export function takeNginxControllerFlags(argv: string[]): { flags: NginxControllerFlags; rest: string[] } {
  const flags = defaultNginxControllerFlags();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq < 0 ? undefined : eq) : '';
    if (name === ENABLE_FLAG) {
      const value = eq < 0 ? 'true' : arg.slice(eq + 1);
      if (value !== 'true' && value !== 'false') throw new Error(`--${ENABLE_FLAG} is true or false, got ${JSON.stringify(value)}`);
      flags.enabled = value === 'true';
    } else if (STRING_FLAGS[name]) {
      let value: string;
      if (eq >= 0) value = arg.slice(eq + 1);
      else if (i + 1 < argv.length) value = argv[++i];
      else throw new Error(`flag needs an argument: --${name}`);
      flags[STRING_FLAGS[name].field] = value;
    } else {
      rest.push(arg);
    }
  }
  return { flags, rest };
}

export function nginxControllerFlagHelp(): string {
  const lines = [[ENABLE_FLAG, 'run the nginx controller in the server (default true; off when no nginx is found)']];
  for (const [name, spec] of Object.entries(STRING_FLAGS)) lines.push([name, spec.help]);
  return lines.map(([name, help]) => `  --${name.padEnd(32)} ${help}`).join('\n');
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `nginx` on PATH, else in the usual sbin folders (often not on a user's PATH). */
export function findNginx(searchPath = process.env.PATH ?? ''): string | undefined {
  const dirs = [...searchPath.split(path.delimiter).filter(Boolean), ...NGINX_LOCATIONS];
  return dirs.map((dir) => path.join(dir, 'nginx')).find(isExecutable);
}

/** The controller's options, or why it stays off. */
export function nginxControllerOptions(flags: NginxControllerFlags): { options: NginxControllerOptions } | { off: string } {
  if (!flags.enabled) return { off: `--${ENABLE_FLAG}=false` };
  const binary = flags.binary ?? findNginx();
  if (!binary) return { off: `no nginx binary found on PATH or in ${NGINX_LOCATIONS.join(', ')}; set --nginx-controller-binary` };
  if (!isExecutable(binary)) return { off: `--nginx-controller-binary ${binary} is not an executable file` };
  return {
    options: {
      binary,
      prefix: flags.prefix,
      conf: flags.conf,
      configDir: flags.configDir ?? DEFAULT_CONFIG_DIR,
      reloadCommand: flags.reloadCommand,
      listenAddress: flags.listenAddress,
    },
  };
}
