/**
 * Seed 004's example as a complete server: an internal TestObj with no fields of
 * its own, and a versioned TestObj (v1alpha1) with a `number` field. `number` is
 * accepted on the wire but not stored, because the internal object has no such
 * field. Run: `node build/examples/minimal/server.js --secure-port 6444 --data-dir /tmp/minimal`.
 */
import { APIServerBuilder, Field, Hub, KubeObject, parseRunOptions, Resource, serveUntilStopped, type RunningServer } from '../../src/index';

/** The internal (hub) object: what the registry works with and what is persisted. */
@Hub({ group: 'testing.example.com', kind: 'TestObj' })
export class TestObj extends KubeObject {}

/** The versioned object clients send and receive. */
@Resource({ group: 'testing.example.com', version: 'v1alpha1', kind: 'TestObj', plural: 'testobjs', scope: 'Namespaced' })
export class TestObjV1alpha1 extends KubeObject {
  @Field(() => Number, { type: 'integer', description: 'A number that the internal object does not keep.' })
  number?: number;
}

const minimalServer = () => new APIServerBuilder().withResource([TestObj, TestObjV1alpha1]);

export function startMinimalServer(argv: string[]): Promise<RunningServer> {
  return minimalServer().run(parseRunOptions(argv));
}

// As a program: until SIGTERM or Ctrl-C, with every flag of `apiserver-kit serve` (--workers too).
if (require.main === module) {
  serveUntilStopped(parseRunOptions(process.argv.slice(2)), minimalServer).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
