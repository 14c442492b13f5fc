import assert from 'node:assert/strict';
import pino from 'pino';
import { coreClusterNamespaceLifecycle } from '../../../../src/framework/server/delegation/core-cluster-namespaces';
import { parseRunOptions } from '../../../../src/framework/server/options';

describe('server/delegation: namespaces of a server behind a core cluster', () => {
  it('--aggregated needs a kubeconfig of the core cluster to check namespaces with', () => {
    assert.throws(
      () => coreClusterNamespaceLifecycle(parseRunOptions(['--aggregated']), pino({ level: 'silent' })),
      /--aggregated needs --authentication-kubeconfig or --authorization-kubeconfig, to check namespaces with the core cluster/,
    );
  });
});
