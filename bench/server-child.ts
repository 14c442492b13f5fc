/** The server under test: `apiserver-kit serve` with the bench resource, flags from argv. */
import 'reflect-metadata';
import { APIServerBuilder, parseRunOptions } from '../src/index';
import { Item, ItemV1 } from './lib/bench-resource';
import pino from 'pino';

new APIServerBuilder()
  .withResource([Item, ItemV1])
  .run(parseRunOptions(process.argv.slice(2)), pino({ level: 'warn' }))
  .then((running) => process.stdout.write(`READY ${JSON.stringify({ kubeconfig: running.kubeconfigPath, url: running.url })}\n`))
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });

// Exit normally on SIGTERM so that `node --cpu-prof` can write its profile.
process.on('SIGTERM', () => process.exit(0));
