/**
 * The server under test: `apiserver-kit serve` with the bench resource, flags from
 * argv (with --workers, this process supervises that many forked copies).
 */
import 'reflect-metadata';
import pino from 'pino';
import { APIServerBuilder, parseRunOptions } from '../src/index';
import { isSupervisedWorker, isWorkersPrimary, reportReadyToPrimary, superviseWorkers } from '../src/framework/server/workers';
import { Item, ItemV1 } from './lib/bench-resource';

const options = parseRunOptions(process.argv.slice(2));
const logger = pino({ level: options.logLevel });
const ready = (url: string, kubeconfig: string | undefined) => process.stdout.write(`READY ${JSON.stringify({ kubeconfig, url })}\n`);
const failed = (err: unknown) => {
  console.error(err);
  process.exit(1);
};

if (isWorkersPrimary(options)) {
  superviseWorkers(options, logger, { onReady: ready }).then((code) => process.exit(code), failed);
} else {
  new APIServerBuilder()
    .withResource([Item, ItemV1])
    .run(options, logger)
    .then((running) => (isSupervisedWorker() ? reportReadyToPrimary(running.url) : ready(running.url, running.kubeconfigPath)), failed);
  // Exit normally on SIGTERM so that `node --cpu-prof` can write its profile.
  process.on('SIGTERM', () => process.exit(0));
}
