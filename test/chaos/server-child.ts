/**
 * The server the reliability tests break: the Item resource of the benchmarks,
 * flags from argv, `READY <json>` on stdout once serving. SIGTERM and SIGINT
 * stop it gracefully as `apiserver-kit serve` does: exit 0 once stopped. With
 * --workers N this process supervises N workers (this script again), as serve does.
 */
import 'reflect-metadata';
import pino from 'pino';
import { APIServerBuilder, isSupervisedWorker, isWorkersPrimary, onStopRequest, parseRunOptions, reportReadyToPrimary, superviseWorkers } from '../../src/index';
import { Item, ItemV1 } from '../../bench/lib/bench-resource';

const options = parseRunOptions(process.argv.slice(2));

function announceReady(url: string, kubeconfig: string | undefined): void {
  process.stdout.write(`READY ${JSON.stringify({ kubeconfig, url })}\n`);
}

function exitOnError(err: unknown): void {
  console.error(err);
  process.exit(1);
}

if (isWorkersPrimary(options)) {
  superviseWorkers(options, pino({ level: options.logLevel }), { onReady: announceReady }).then((code) => process.exit(code), exitOnError);
} else {
  new APIServerBuilder()
    .withResource([Item, ItemV1])
    .run(options)
    .then((running) => {
      if (isSupervisedWorker()) reportReadyToPrimary(running.url);
      else announceReady(running.url, running.kubeconfigPath);
      let stopping = false;
      onStopRequest(() => {
        if (stopping) return;
        stopping = true;
        running.stop().then(() => process.exit(0), exitOnError);
      });
    })
    .catch(exitOnError);
}
