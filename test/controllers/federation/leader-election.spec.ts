/**
 * Leader election over the host's Lease: of two replicas one leads; a replica
 * that stops hands over at once; a leader that sees the Lease taken stops leading.
 */
import assert from 'node:assert/strict';
import pino from 'pino';
import { federationGroup } from '../../../src/apis/federation/group';
import { install } from '../../../src/apis/federation/install';
import { LeaseV1alpha1 } from '../../../src/apis/federation/v1alpha1/types';
import { LeaderElector } from '../../../src/controllers/federation/leader-election';
import { loadClientConfig, ResourceClient, RESTClient, Scheme } from '../../../src/index';
import { eventually } from '../../support/kubectl';
import { startTestServer, type TestServer } from '../../e2e/server-harness';

const LEASE = 'election-test';

describe('federation controller: leader election', function () {
  this.timeout(30_000);
  let host: TestServer;
  let rest: RESTClient;
  let leases: ResourceClient<LeaseV1alpha1>;
  const stops: AbortController[] = [];

  /** A replica campaigning; `leading` says whether it leads now. */
  function replica(identity: string) {
    const stop = new AbortController();
    stops.push(stop);
    const state = { leading: false, terms: 0, identity, stop, done: Promise.resolve() };
    const elector = new LeaderElector(leases, { leaseName: LEASE, identity, leaseDurationMs: 5000, renewIntervalMs: 200 }, pino({ level: 'silent' }));
    state.done = elector.run(stop.signal, async (leading) => {
      state.leading = true;
      state.terms++;
      await new Promise((resolve) => leading.addEventListener('abort', resolve, { once: true }));
      state.leading = false;
    });
    return state;
  }

  before(async () => {
    host = await startTestServer('sqlite', (builder) => builder.withGroup(federationGroup({ controller: false })));
    rest = new RESTClient(loadClientConfig(host.kubeconfig));
    leases = new ResourceClient(rest, install(new Scheme()), LeaseV1alpha1);
  });
  after(async () => {
    for (const stop of stops) stop.abort();
    rest?.close();
    await host?.stop();
  });

  it('lets one of two replicas lead, and the other take over at once when it stops', async () => {
    const a = replica('a');
    await eventually(() => assert.ok(a.leading));
    const b = replica('b');
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal(b.leading, false, 'the Lease is held and renewed');
    a.stop.abort();
    await a.done;
    assert.equal((await leases.get(LEASE)).spec?.holderIdentity, undefined, 'a stopping leader releases the Lease');
    await eventually(() => assert.ok(b.leading), 3000);
    const lease = await leases.get(LEASE);
    assert.equal(lease.spec?.holderIdentity, 'b');
    assert.equal(lease.spec?.leaseTransitions, 1);
    b.stop.abort();
    await b.done;
  });

  it('stops leading when another holder took the Lease', async () => {
    const c = replica('c');
    await eventually(() => assert.ok(c.leading));
    const lease = await leases.get(LEASE);
    lease.spec = { ...lease.spec, holderIdentity: 'intruder', renewTime: new Date().toISOString() };
    await leases.update(lease);
    await eventually(() => assert.equal(c.leading, false), 2000);
    assert.equal(c.terms, 1);
  });
});
