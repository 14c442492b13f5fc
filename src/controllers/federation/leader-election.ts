/**
 * Leader election over a Lease in the host's own storage, as client-go's
 * leaderelection does it: a replica takes the Lease when it is free or its
 * holder has not renewed it for a lease duration (timed by this replica's own
 * clock, from when it last saw the Lease change, so clocks need not agree),
 * renews it while leading, and gives it up on stop so another takes over at
 * once. Every write is a compare-and-swap on the Lease's resourceVersion.
 */
import type { Logger } from 'pino';
import { isAlreadyExists, isConflict, isNotFound, type ResourceClient } from '../../index';
import { LeaseV1alpha1 } from '../../apis/federation/v1alpha1/types';
import { sleep } from './timing';

export interface LeaderElectionConfig {
  leaseName: string;
  identity: string;
  leaseDurationMs: number;
  /** How often the leader renews and the others try; well below leaseDurationMs. */
  renewIntervalMs: number;
}

/** Lease times keep milliseconds, like a coordination.k8s.io Lease's MicroTime. */
function leaseTime(): string {
  return new Date().toISOString();
}

export class LeaderElector {
  /** The Lease as last seen, and when (by this replica's clock) it last changed. */
  private observed?: { resourceVersion: string; holder: string; at: number };

  constructor(
    private readonly leases: ResourceClient<LeaseV1alpha1>,
    private readonly config: LeaderElectionConfig,
    private readonly logger: Logger,
  ) {}

  /**
   * Campaigns until the signal aborts. Each time this replica becomes leader,
   * `lead` runs with a signal that aborts when leadership ends (lost or stopped);
   * the Lease is released when `lead` has returned after a stop.
   */
  async run(signal: AbortSignal, lead: (leading: AbortSignal) => Promise<void>): Promise<void> {
    while (!signal.aborted) {
      if (!(await this.tryAcquireOrRenew())) {
        await sleep(this.config.renewIntervalMs, signal);
        continue;
      }
      this.logger.info({ identity: this.config.identity, lease: this.config.leaseName }, 'became leader');
      const leading = new AbortController();
      const stop = () => leading.abort();
      signal.addEventListener('abort', stop, { once: true });
      // Leading that ends on its own (it failed) ends the term; the next round campaigns again.
      const led = lead(leading.signal)
        .catch((err: unknown) => this.logger.error({ err }, 'leading failed'))
        .finally(() => leading.abort());
      await this.renewWhileLeading(leading);
      signal.removeEventListener('abort', stop);
      await led;
      if (signal.aborted) await this.release();
      else this.logger.warn({ identity: this.config.identity }, 'lost leadership');
    }
  }

  /** Renews until the signal aborts, or until renewing has failed for a lease duration. */
  private async renewWhileLeading(leading: AbortController): Promise<void> {
    let lastRenewed = Date.now();
    while (!leading.signal.aborted) {
      await sleep(this.config.renewIntervalMs, leading.signal);
      if (leading.signal.aborted) return;
      if (await this.tryAcquireOrRenew()) lastRenewed = Date.now();
      else if (Date.now() - lastRenewed >= this.config.leaseDurationMs || this.observed?.holder !== this.config.identity) leading.abort();
    }
  }

  /** One attempt; true when this replica holds the Lease afterwards. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const { leaseName: name, identity, leaseDurationMs } = this.config;
    const now = leaseTime();
    try {
      let lease: LeaseV1alpha1;
      try {
        lease = await this.leases.get(name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        const fresh = new LeaseV1alpha1();
        fresh.metadata = { name };
        fresh.spec = { holderIdentity: identity, leaseDurationSeconds: Math.ceil(leaseDurationMs / 1000), acquireTime: now, renewTime: now, leaseTransitions: 0 };
        this.see(await this.leases.create(fresh));
        return true;
      }
      this.see(lease);
      const spec = lease.spec ?? {};
      const held = spec.holderIdentity === identity;
      const expired = !spec.holderIdentity || Date.now() - (this.observed?.at ?? 0) >= leaseDurationMs;
      if (!held && !expired) return false;
      lease.spec = {
        holderIdentity: identity,
        leaseDurationSeconds: Math.ceil(leaseDurationMs / 1000),
        acquireTime: held ? spec.acquireTime : now,
        renewTime: now,
        leaseTransitions: (spec.leaseTransitions ?? 0) + (held ? 0 : 1),
      };
      this.see(await this.leases.update(lease));
      return true;
    } catch (err) {
      // Another replica wrote first, or the host is away: not leading this round.
      if (!isConflict(err) && !isAlreadyExists(err)) this.logger.debug({ err }, 'lease not acquired or renewed');
      return false;
    }
  }

  private see(lease: LeaseV1alpha1): void {
    const resourceVersion = lease.metadata.resourceVersion ?? '';
    if (this.observed?.resourceVersion !== resourceVersion) this.observed = { resourceVersion, holder: lease.spec?.holderIdentity ?? '', at: Date.now() };
  }

  /** Gives the Lease up so that another replica need not wait for it to expire. */
  private async release(): Promise<void> {
    try {
      const lease = await this.leases.get(this.config.leaseName);
      if (lease.spec?.holderIdentity !== this.config.identity) return;
      lease.spec = { ...lease.spec, holderIdentity: undefined, renewTime: leaseTime() };
      await this.leases.update(lease);
      this.logger.info({ identity: this.config.identity }, 'released leadership');
    } catch (err) {
      this.logger.debug({ err }, 'lease not released');
    }
  }
}
