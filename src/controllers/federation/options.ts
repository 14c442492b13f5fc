/** How the federation controller paces itself; the defaults suit a real deployment, tests shorten them. */
import { hostname } from 'node:os';

export interface FederationControllerOptions {
  /** This replica's name in the Lease. Default: host name and process id. */
  identity: string;
  /** How often each member cluster is probed. */
  probeIntervalMs: number;
  /** How long a probe may take before the cluster counts as not ready. */
  probeTimeoutMs: number;
  /** First pause before an object that did not converge is tried again; it doubles up to retryMaxMs. */
  retryInitialMs: number;
  retryMaxMs: number;
  /** How long a leader keeps the Lease without renewing it. */
  leaseDurationMs: number;
  /** How often the leader renews, and how often the others try to take over. */
  leaseRenewIntervalMs: number;
  /** Objects reconciled at once. */
  workers: number;
}

export function defaultFederationControllerOptions(): FederationControllerOptions {
  return {
    identity: `${hostname()}-${process.pid}`,
    probeIntervalMs: 10_000,
    probeTimeoutMs: 5_000,
    retryInitialMs: 1_000,
    retryMaxMs: 60_000,
    leaseDurationMs: 15_000,
    leaseRenewIntervalMs: 5_000,
    workers: 4,
  };
}
