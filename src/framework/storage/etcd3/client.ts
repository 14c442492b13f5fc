import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { circuitBreaker, ConsecutiveBreaker, ExponentialBackoff, handleWhen, isBrokenCircuitError, retry } from 'cockatiel';
import { Etcd3, GRPCUnavailableError, isRecoverableError, type IOptions } from 'etcd3';
import { DEFAULT_REQUEST_TIMEOUT_MS, type EtcdClusterConfig, type EtcdTLSFiles } from './options';

/**
 * Large lists and watch batches exceed gRPC's default 4 MiB receive limit; etcd
 * itself bounds what it sends, so the client accepts anything it gets.
 */
const MAX_RECEIVE_MESSAGE_BYTES = 2 ** 31 - 1;

/** An etcd3 client for one cluster, configured for a server that must ride out etcd restarts. */
export function newEtcdClient(config: EtcdClusterConfig): Etcd3 {
  if (config.servers.length === 0) throw new Error('no etcd servers given');
  const requestTimeoutMs = config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return new Etcd3({
    hosts: config.servers,
    credentials: loadCredentials(config.tls),
    grpcOptions: {
      'grpc.max_receive_message_length': MAX_RECEIVE_MESSAGE_BYTES,
      // Notices a member that stopped answering (frozen, cut off) under an open watch.
      'grpc.keepalive_time_ms': 30_000,
      'grpc.keepalive_timeout_ms': 10_000,
    },
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + requestTimeoutMs }),
    faultHandling: {
      // A member that fails three calls in a row is skipped for a second, so that
      // calls go to the other members meanwhile.
      host: () => circuitBreaker(handleWhen(isRecoverableError), { halfOpenAfter: 1_000, breaker: new ConsecutiveBreaker(3) }),
      // Unreachable members are retried briefly, which covers a restart of etcd.
      global: retry(
        handleWhen((err) => err instanceof GRPCUnavailableError || isBrokenCircuitError(err)),
        { maxAttempts: 5, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 1_000 }) },
      ),
    },
  });
}

function loadCredentials(tls: EtcdTLSFiles | undefined): IOptions['credentials'] {
  if (!tls || (!tls.caFile && !tls.certFile && !tls.keyFile)) return undefined;
  if (Boolean(tls.certFile) !== Boolean(tls.keyFile)) {
    throw new Error('the etcd client certificate and key must be given together (--etcd-certfile, --etcd-keyfile)');
  }
  return {
    rootCertificate: tls.caFile ? readFileSync(tls.caFile) : Buffer.from(rootCertificates.join('\n')),
    certChain: tls.certFile ? readFileSync(tls.certFile) : undefined,
    privateKey: tls.keyFile ? readFileSync(tls.keyFile) : undefined,
  };
}
