/**
 * Prometheus metrics with kube-apiserver's names and labels, in a registry of the
 * server's own (several servers in one process do not share counters).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { InFlightCounts } from './filters/with-max-in-flight';
import type { RequestInfo } from './request-info';

const DURATION_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];
const REQUEST_LABELS = ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const;

export interface RequestLabels {
  verb: string;
  dry_run: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
  component: string;
}

/** kube's metric verb: the HTTP method, except LIST, WATCH, DELETECOLLECTION and APPLY. */
const METRIC_VERBS: Record<string, string> = {
  get: 'GET',
  list: 'LIST',
  watch: 'WATCH',
  create: 'POST',
  update: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  deletecollection: 'DELETECOLLECTION',
};

function metricVerb(info: RequestInfo, method: string, contentType: string): string {
  if (!info.isResourceRequest) return method.toUpperCase();
  if (info.verb === 'patch' && contentType.startsWith('application/apply-patch')) return 'APPLY';
  return METRIC_VERBS[info.verb];
}

function metricScope(info: RequestInfo): string {
  if (!info.isResourceRequest) return '';
  if (info.name || info.verb === 'create') return 'resource';
  return info.namespace ? 'namespace' : 'cluster';
}

export function requestLabels(info: RequestInfo, method: string, contentType: string, dryRun: boolean): RequestLabels {
  const resource = info.isResourceRequest ? info : undefined;
  return {
    verb: metricVerb(info, method, contentType),
    dry_run: dryRun ? 'All' : '',
    group: resource?.apiGroup ?? '',
    version: resource?.apiVersion ?? '',
    resource: resource?.resource ?? '',
    subresource: resource?.subresource ?? '',
    scope: metricScope(info),
    component: 'apiserver',
  };
}

export class ServerMetrics {
  readonly registry = new Registry();
  readonly requestTotal = new Counter({
    name: 'apiserver_request_total',
    help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
    labelNames: [...REQUEST_LABELS, 'code'],
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: 'apiserver_request_duration_seconds',
    help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
    labelNames: [...REQUEST_LABELS],
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  /** Kept current by the in-flight filter; read only when scraped, so requests pay no metric update. */
  readonly inflight: InFlightCounts = { readOnly: 0, mutating: 0 };
  readonly longRunning = new Gauge({
    name: 'apiserver_longrunning_requests',
    help: 'Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component.',
    labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'],
    registers: [this.registry],
  });

  constructor(countObjects: () => Promise<Record<string, number>>) {
    const inflight = this.inflight;
    new Gauge({
      name: 'apiserver_current_inflight_requests',
      help: 'Maximal number of currently used inflight request limit of this apiserver per request kind in last second.',
      labelNames: ['request_kind'],
      registers: [this.registry],
      collect() {
        this.set({ request_kind: 'readOnly' }, inflight.readOnly);
        this.set({ request_kind: 'mutating' }, inflight.mutating);
      },
    });
    new Gauge({
      name: 'apiserver_storage_objects',
      help: 'Number of stored objects at the time of last check split by kind.',
      labelNames: ['resource'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [resource, count] of Object.entries(await countObjects())) this.set({ resource }, count);
      },
    });
  }
}
