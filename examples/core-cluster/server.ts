/**
 * A small core cluster built on the framework, for tests and small
 * installations: namespaces, ConfigMaps with `kube-system/extension-apiserver-authentication`,
 * TokenReview, SubjectAccessReview, RBAC (with the roles aggregated servers are
 * bound to) and the aggregator, which proxies every registered APIService to the
 * server behind it. `apiserver-kit aggregator` is the same server.
 * Run: `node build/examples/core-cluster/server.js --secure-port 6443 --data-dir /tmp/core
 *   --service-endpoint nginx-system/nginx-api=127.0.0.1:8443`.
 */
import { APIServerBuilder, coreClusterGroups, ensureFrontProxyCertificates, parseCoreClusterArgs, serveUntilStopped } from '../../src/index';

const { options, serviceResolver } = parseCoreClusterArgs(process.argv.slice(2));
const coreCluster = () => {
  const builder = new APIServerBuilder();
  // Namespaces, the access reviews and (with --authorization-mode RBAC, the default here) RBAC come with every server.
  for (const group of coreClusterGroups({ certDir: options.certDir, clientCAFile: options.clientCAFile, serviceResolver })) builder.withGroup(group);
  return builder;
};
// Until SIGTERM or Ctrl-C; with --workers, the front-proxy credentials are made once, before any worker starts.
serveUntilStopped(options, coreCluster, { beforeWorkers: () => ensureFrontProxyCertificates(options.certDir) }).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
