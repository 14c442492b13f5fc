/**
 * Hostile input: generated requests (fast-check) against the decoders, the
 * patch engines (JSON, merge, strategic merge, apply), label and field
 * selectors, resourceVersion/continue/limit values and URL paths. Each ends in
 * a 2xx or a 4xx Status, never a dropped connection or a crash, and the
 * server's memory stays bounded. The only 5xx are the two kube-apiserver gives
 * to the same input; they are counted and printed apart.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BENCH_GROUP, ITEMS_PATH, itemBody } from '../../bench/lib/bench-resource';
import { ChaosClient, type ChaosResponse } from './chaos-client';
import { startServerProcess, type ServerProcess } from './server-process';

const MiB = 1024 * 1024;
const TARGET = `${ITEMS_PATH}/target`;
/** Far above what the server needs (about 150 MiB); an input that made it allocate without bound would cross it. */
const MAX_RSS = 512 * MiB;

/** JSON values as clients send them, small enough to stay well under any body limit. */
const jsonValue = fc.jsonValue({ maxDepth: 4 });
/** Keys that reach real code paths: metadata, spec fields and patch directives. */
const interestingKey = fc.constantFrom('apiVersion', 'kind', 'metadata', 'name', 'namespace', 'labels', 'annotations', 'spec', 'data', 'counter', 'status', 'resourceVersion', 'uid', 'generation', 'managedFields', 'finalizers', '$patch', '$retainKeys', '$setElementOrder/spec', '$deleteFromPrimitiveList/finalizers', '__proto__', 'constructor');
const objectLike: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, jsonValue, fc.dictionary(fc.oneof(interestingKey, fc.string()), tie('node'), { maxKeys: 6 })),
})).node;
const itemLike = fc.record(
  { apiVersion: fc.oneof(fc.constant(`${BENCH_GROUP}/v1`), fc.string()), kind: fc.oneof(fc.constant('Item'), fc.string()), metadata: objectLike, spec: objectLike },
  { requiredKeys: [] },
);
const selectorText = fc.stringMatching(/^[a-z0-9=!,.()\/ \-_in notexists]{0,40}$/);
const pathSegment = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('..', '.', '%2e%2e', '%00', '%ff', '~', 'status', 'scale', 'items', 'namespaces', 'default', 'watch', 'proxy', ''));

/**
 * The one 5xx kube-apiserver gives to such input on purpose, in its words: 504
 * Timeout with cause ResourceVersionTooLarge for a resourceVersion the storage
 * has not reached (client-go's reflector retries on it). Its name, as printed in
 * the tally.
 */
function kubeServerError(r: ChaosResponse): string | undefined {
  if (r.status === 504 && r.body.includes('"message":"Timeout: Too large resource version: ') && r.body.includes('"reason":"ResourceVersionTooLarge"')) {
    return '504 resourceVersion not reached yet';
  }
  return undefined;
}

interface Tally {
  total: number;
  byStatus: Map<number, number>;
  /** The 5xx kube-apiserver answers too, by name. */
  asKube: Map<string, number>;
}

function checkAnswer(r: ChaosResponse, what: string, tally: Tally): void {
  tally.total++;
  tally.byStatus.set(r.status, (tally.byStatus.get(r.status) ?? 0) + 1);
  const asKube = kubeServerError(r);
  if (asKube) tally.asKube.set(asKube, (tally.asKube.get(asKube) ?? 0) + 1);
  assert.ok((r.status >= 200 && r.status < 500) || asKube, `${what}: ${r.status} ${r.error ?? r.body.slice(0, 300)}`);
  if (r.status >= 400) assert.equal((JSON.parse(r.body) as { kind?: string }).kind, 'Status', `${what}: a ${r.status} is a Status`);
}

/** How many requests each property sends, out of the total. */
const SHARES = { decoders: 0.2, patches: 0.3, selectors: 0.2, tokens: 0.15, paths: 0.15 };

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** The hostile-input suite, `total` generated requests in all. */
export function describeHostileInput(total: number): void {
  const runs = (share: number) => Math.round(total * share);
  describe(`chaos: hostile input (property-based, ${formatCount(total)} requests)`, function () {
    this.timeout(Math.max(60_000, total * 30));
    let server: ServerProcess;
    let client: ChaosClient;
    const tally: Tally = { total: 0, byStatus: new Map(), asKube: new Map() };
    let maxRSS = 0;

    before(async () => {
      server = await startServerProcess();
      client = new ChaosClient(server.kubeconfig, 8);
      assert.equal((await client.request('POST', ITEMS_PATH, { body: itemBody('target') })).status, 201);
    });

    after(async () => {
      const codes = [...tally.byStatus].sort(([a], [b]) => a - b).map(([code, n]) => `${code}×${n}`).join(' ');
      const asKube = [...tally.asKube].map(([name, n]) => `${name} ×${n}`).join(', ') || 'none';
      console.log(`      ${tally.total} generated requests answered: ${codes}; 5xx as kube-apiserver answers them: ${asKube}; server max RSS ${(maxRSS / MiB).toFixed(0)} MiB`);
      client?.close();
      await server?.dispose();
    });

    afterEach(async () => {
      maxRSS = Math.max(maxRSS, server.rss());
      // Generated DELETEs may hit the target; the next property needs it.
      const got = await client.request('GET', TARGET);
      if (got.status === 404) await client.request('POST', ITEMS_PATH, { body: itemBody('target') });
    });

    async function run<T>(arbitrary: fc.Arbitrary<T>, numRuns: number, send: (value: T) => Promise<[string, ChaosResponse]>): Promise<void> {
      await fc.assert(
        fc.asyncProperty(arbitrary, async (value) => {
          const [what, answer] = await send(value);
          checkAnswer(answer, what, tally);
        }),
        { numRuns, endOnFailure: true },
      );
    }

    it(`decoders: ${formatCount(runs(SHARES.decoders))} create bodies (JSON, YAML, protobuf and wrong content types)`, async () => {
      const contentType = fc.constantFrom('application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf', 'text/plain', 'application/json;charset=latin1');
      const body = fc.oneof(itemLike.map((v) => JSON.stringify(v)), jsonValue.map((v) => JSON.stringify(v)), fc.string(), fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')));
      await run(fc.tuple(contentType, body), runs(SHARES.decoders), async ([type, text]) => [`POST ${type} ${JSON.stringify(text).slice(0, 200)}`, await client.request('POST', ITEMS_PATH, { body: text, contentType: type })]);
    });

    it(`patch engines: ${formatCount(runs(SHARES.patches))} JSON, merge, strategic merge and apply patches`, async () => {
      const op = fc.record(
        {
          op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus'),
          path: fc.oneof(fc.constantFrom('/spec/counter', '/spec/data', '/metadata/labels', '/metadata/name', '/metadata/labels/a~1b', '/spec/-', '/', ''), fc.string({ maxLength: 20 })),
          from: fc.oneof(fc.constant('/spec/data'), fc.string({ maxLength: 10 })),
          value: objectLike,
        },
        { requiredKeys: ['op'] },
      );
      const patch = fc.oneof(
        fc.array(op, { maxLength: 5 }).map((ops) => ({ type: 'application/json-patch+json', body: JSON.stringify(ops) })),
        objectLike.map((v) => ({ type: 'application/merge-patch+json', body: JSON.stringify(v) })),
        itemLike.map((v) => ({ type: 'application/strategic-merge-patch+json', body: JSON.stringify(v) })),
        itemLike.map((v) => ({ type: 'application/apply-patch+yaml', body: JSON.stringify(v) })),
        fc.string().map((s) => ({ type: 'application/merge-patch+json', body: s })),
      );
      const query = fc.constantFrom('', '?fieldManager=fuzz', '?fieldManager=fuzz&force=true', '?dryRun=All&fieldManager=fuzz', '?fieldValidation=Strict&fieldManager=fuzz');
      await run(fc.tuple(patch, query, fc.constantFrom('', '/status')), runs(SHARES.patches), async ([p, q, sub]) => [
        `PATCH${sub} ${p.type} ${q} ${p.body.slice(0, 200)}`,
        await client.request('PATCH', `${TARGET}${sub}${q}`, { body: p.body, contentType: p.type }),
      ]);
    });

    it(`selectors: ${formatCount(runs(SHARES.selectors))} label and field selectors on list and watch`, async () => {
      await run(fc.tuple(fc.oneof(selectorText, fc.string()), fc.constantFrom('labelSelector', 'fieldSelector'), fc.boolean()), runs(SHARES.selectors), async ([selector, param, watch]) => {
        const path = `${ITEMS_PATH}?${param}=${encodeURIComponent(selector)}${watch ? '&watch=true&timeoutSeconds=0' : ''}`;
        return [`GET ${path}`, await client.request('GET', path)];
      });
    });

    it(`tokens: ${formatCount(runs(SHARES.tokens))} resourceVersion, resourceVersionMatch, continue and limit values`, async () => {
      const token = fc.oneof(fc.string(), fc.nat().map(String), fc.integer().map(String), fc.base64String({ maxLength: 60 }), fc.constantFrom('0', '-1', '1e3', '9007199254740993', 'NaN', ''));
      const param = fc.constantFrom('resourceVersion', 'resourceVersionMatch', 'continue', 'limit', 'timeoutSeconds');
      await run(fc.array(fc.tuple(param, token), { minLength: 1, maxLength: 3 }), runs(SHARES.tokens), async (pairs) => {
        const query = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
        const path = `${ITEMS_PATH}?${query}`;
        return [`GET ${path}`, await client.request('GET', path)];
      });
    });

    it(`URL paths: ${formatCount(runs(SHARES.paths))} generated paths under /api and /apis`, async () => {
      const prefix = fc.constantFrom('/apis', `/apis/${BENCH_GROUP}`, `/apis/${BENCH_GROUP}/v1`, `/apis/${BENCH_GROUP}/v1/namespaces/default`, '/api/v1', '/api', '');
      await run(fc.tuple(prefix, fc.array(pathSegment, { maxLength: 4 }), fc.constantFrom('GET', 'DELETE', 'PUT', 'POST')), runs(SHARES.paths), async ([base, segments, method]) => {
        // Segments with % go as they are (malformed escapes included), but for backslashes, which URLs read as slashes;
        // a path starting with // would name another host.
        const path = `${base}/${segments.map((s) => (/%/.test(s) ? s.replace(/\\/g, '%5C') : encodeURIComponent(s))).join('/')}`.replace(/^\/\/+/, '/');
        const body = method === 'PUT' || method === 'POST' ? '{}' : undefined;
        return [`${method} ${path}`, await client.request(method, path, { body })];
      });
    });

    it('the server is still up and healthy afterwards, its memory bounded', async () => {
      const healthz = await client.request('GET', '/healthz');
      assert.equal(healthz.status, 200, healthz.error ?? healthz.body);
      maxRSS = Math.max(maxRSS, server.rss());
      assert.ok(maxRSS < MAX_RSS, `the server's RSS reached ${(maxRSS / MiB).toFixed(0)} MiB`);
    });
  });
}
