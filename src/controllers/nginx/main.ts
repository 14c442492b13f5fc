#!/usr/bin/env node
/**
 * The nginx controller as a process of its own, next to the nginx it drives:
 * `node dist/controllers/nginx/main.js --kubeconfig <file> [--nginx-controller-* flags]`.
 */
import 'reflect-metadata';
import pino from 'pino';
import { nginxControllerFlagHelp, nginxControllerOptions, takeNginxControllerFlags } from './flags';
import { runNginxController } from './start';

const USAGE = `Usage: nginx-controller --kubeconfig <file> [flags]

Flags:
${nginxControllerFlagHelp()}
`;

/** What is left after the controller's flags: `--kubeconfig <file>` or `--kubeconfig=<file>`, nothing else. */
function kubeconfigOf(rest: string[]): string {
  const [first, second] = rest;
  if (rest.length === 1 && first.startsWith('--kubeconfig=')) return first.slice('--kubeconfig='.length);
  if (rest.length === 2 && first === '--kubeconfig') return second;
  throw new Error(`expected --kubeconfig <file> and controller flags, got: ${rest.join(' ') || 'nothing'}\n\n${USAGE}`);
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  const { flags, rest } = takeNginxControllerFlags(argv);
  const kubeconfig = kubeconfigOf(rest);
  const resolved = nginxControllerOptions({ ...flags, enabled: true });
  if ('off' in resolved) throw new Error(resolved.off);
  const logger = pino({ level: 'info' }).child({ controller: 'nginx' });
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  await runNginxController({ kubeconfig, options: resolved.options, logger, signal: stop.signal });
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`nginx-controller: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
