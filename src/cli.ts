#!/usr/bin/env node
/**
 * `apiserver-kit serve [flags]`: the standalone server with every sample group
 * (select with --groups), on the embedded store unless --etcd-servers is given.
 */
import 'reflect-metadata';
import { APIServerBuilder, flagHelp, parseRunOptions, type RunningServer } from './index';
import { sampleGroups } from './apis';
import { nginxControllerFlagHelp, takeNginxControllerFlags } from './controllers/nginx/flags';

const USAGE = `Usage: apiserver-kit serve [flags]

Flags:
${flagHelp()}
${nginxControllerFlagHelp()}
`;

async function serve(argv: string[]): Promise<void> {
  const { flags: nginxController, rest } = takeNginxControllerFlags(argv);
  const options = parseRunOptions(rest);
  const builder = new APIServerBuilder();
  for (const group of sampleGroups({ nginxController })) builder.withGroup(group);
  const running: RunningServer = await builder.run(options);
  const kubeconfig = running.kubeconfigPath ? `kubectl --kubeconfig ${running.kubeconfigPath} api-resources` : 'kubectl with your own credentials';
  running.logger.info({ url: running.url }, `ready: serving on ${running.url}; try: ${kubeconfig}`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    running.logger.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        running.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'serve') return serve(rest);
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return;
  }
  throw new Error(`unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`apiserver-kit: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
