/**
 * The server the reliability tests break: the Item resource of the benchmarks,
 * flags from argv, `READY <json>` on stdout once serving. SIGTERM and SIGINT
 * stop it gracefully as `apiserver-kit serve` does: exit 0 once stopped.
 */
import 'reflect-metadata';
import { APIServerBuilder, parseRunOptions } from '../../src/index';
import { Item, ItemV1 } from '../../bench/lib/bench-resource';

new APIServerBuilder()
  .withResource([Item, ItemV1])
  .run(parseRunOptions(process.argv.slice(2)))
  .then((running) => {
    process.stdout.write(`READY ${JSON.stringify({ kubeconfig: running.kubeconfigPath, url: running.url })}\n`);
    let stopping = false;
    const shutdown = () => {
      if (stopping) return;
      stopping = true;
      running.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(err);
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', shutdown);
    process.on('SIGINT', shutdown);
  })
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
