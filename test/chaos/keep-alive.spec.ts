/**
 * One keep-alive TLS connection carrying large responses and large bodies in
 * turn: every request is answered on it, none is dropped. Bodies and responses
 * span several TLS records (16 KiB each), and a write's response is sent while
 * the next large body is already on its way.
 */
import assert from 'node:assert/strict';
import { BENCH_GROUP, ITEMS_PATH } from '../../bench/lib/bench-resource';
import { ChaosClient, type ChaosResponse } from './chaos-client';
import { startServerProcess, type ServerProcess } from './server-process';

const OBJECTS = 8;
const ROUNDS = 60;
const KIB = 1024;

function item(name: string, dataBytes: number, counter: number, resourceVersion?: string): string {
  return JSON.stringify({ apiVersion: `${BENCH_GROUP}/v1`, kind: 'Item', metadata: { name, resourceVersion }, spec: { data: 'z'.repeat(dataBytes), counter } });
}

describe('chaos: large bodies after large responses on one keep-alive connection', function () {
  this.timeout(120_000);
  let server: ServerProcess;
  let client: ChaosClient;

  before(async () => {
    server = await startServerProcess();
    // One socket: every request goes on the connection the previous answer came on.
    client = new ChaosClient(server.kubeconfig, 1);
  });

  after(async () => {
    client?.close();
    await server?.dispose();
  });

  it('answers every create, list, replace and patch in turn, each over 16 KiB', async () => {
    let requests = 0;
    let largestResponse = 0;
    const send = async (method: string, path: string, body: string, expected: number, contentType?: string): Promise<ChaosResponse> => {
      const answer = await client.request(method, path, { body: method === 'GET' ? undefined : body, contentType });
      requests++;
      largestResponse = Math.max(largestResponse, answer.body.length);
      assert.equal(answer.status, expected, `request ${requests}, ${method} ${path} with ${body.length} bytes: ${answer.error ?? answer.body.slice(0, 200)}`);
      return answer;
    };
    const versions = new Map<string, string>();
    for (let i = 0; i < OBJECTS; i++) {
      const created = await send('POST', ITEMS_PATH, item(`big-${i}`, 40 * KIB, 0), 201);
      versions.set(`big-${i}`, JSON.parse(created.body).metadata.resourceVersion);
    }
    let largestBody = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      await send('GET', ITEMS_PATH, '', 200);
      // 20 to 200 KiB: a replace, then a merge patch right behind its answer.
      const name = `big-${round % OBJECTS}`;
      const size = (20 + ((round * 37) % 181)) * KIB;
      const replaced = await send('PUT', `${ITEMS_PATH}/${name}`, item(name, size, round, versions.get(name)), 200);
      const patch = JSON.stringify({ spec: { data: 'p'.repeat(size), counter: -round } });
      const patched = await send('PATCH', `${ITEMS_PATH}/${name}`, patch, 200, 'application/merge-patch+json');
      assert.ok(replaced.body.length > 16 * KIB);
      versions.set(name, JSON.parse(patched.body).metadata.resourceVersion);
      largestBody = Math.max(largestBody, patch.length);
    }
    console.log(`      ${requests} requests on one connection, all answered: bodies up to ${largestBody} bytes, responses up to ${largestResponse} bytes`);
  });
});
