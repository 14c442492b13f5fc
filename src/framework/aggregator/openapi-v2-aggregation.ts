/**
 * The aggregator's `/openapi/v2`: its own document with every remote APIService's
 * part of its backend's document merged in (see openapi-v2-merge.ts). Each
 * backend's spec is downloaded with the front-proxy identity when its APIService
 * first appears, changes or becomes available again — a request waits for those —
 * and refreshed in the background every minute (ETag-conditional). A backend that
 * is down or fails keeps its last spec; a deleted APIService takes its spec with it.
 */
import type { Logger } from 'pino';
import { encodeOpenAPIV2Protobuf } from '../server/openapi-v2-protobuf';
import { renderedOpenAPI, type RenderedOpenAPI } from '../server/openapi-routes';
import type { APIService } from './apiservice-types';
import type { AvailabilityController, ServiceState } from './availability-controller';
import { requestBackend } from './backend';
import { frontProxyHeaders } from './front-proxy-headers';
import { filterSpecByPathPrefix, mergeSpecInto, type SwaggerJson } from './openapi-v2-merge';

/** The identity of spec downloads, as kube-aggregator's: a backend must show it every path. */
const DOWNLOAD_USER = { username: 'system:aggregator', groups: ['system:masters'] };
const DOWNLOAD_TIMEOUT_MS = 10_000;

interface RemoteSpec {
  /** The APIService spec the entry was made for; a changed one starts over. */
  specKey: string;
  apiService: APIService;
  spec?: SwaggerJson;
  etag?: string;
  /** Bumped whenever `spec` changes, so the merged document knows to rebuild. */
  revision: number;
  attemptedAt?: number;
  /** Whether the APIService was available at the last look: becoming available again downloads at once. */
  wasAvailable: boolean;
  downloading?: Promise<void>;
}

export interface OpenAPIV2AggregationOptions {
  controller: AvailabilityController;
  logger: Logger;
  /** How often a backend's spec is downloaded again; default one minute. */
  refreshIntervalMs?: number;
}

/** kube-aggregator's order: group priority (high first), group, version priority (high first), name. */
function byPriority(a: APIService, b: APIService): number {
  const sa = a.spec!;
  const sb = b.spec!;
  return (
    (sb.groupPriorityMinimum ?? 0) - (sa.groupPriorityMinimum ?? 0) ||
    (sa.group ?? '').localeCompare(sb.group ?? '') ||
    (sb.versionPriority ?? 0) - (sa.versionPriority ?? 0) ||
    (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '')
  );
}

export class OpenAPIV2Aggregation {
  private readonly remote = new Map<string, RemoteSpec>();
  private merged?: { key: string; json: RenderedOpenAPI; protobuf?: RenderedOpenAPI };

  constructor(private readonly options: OpenAPIV2AggregationOptions) {}

  /** Brings the remote specs up to date (see the module comment); resolves once the ones a request must wait for are in. */
  async refresh(): Promise<void> {
    const services = this.options.controller.remoteServices();
    const names = new Set(services.map((s) => s.apiService.metadata.name!));
    for (const name of this.remote.keys()) if (!names.has(name)) this.remote.delete(name);
    const waits: Promise<void>[] = [];
    const interval = this.options.refreshIntervalMs ?? 60_000;
    for (const state of services) {
      const name = state.apiService.metadata.name!;
      const specKey = JSON.stringify(state.apiService.spec);
      let entry = this.remote.get(name);
      if (!entry || entry.specKey !== specKey) {
        entry = { specKey, apiService: state.apiService, revision: (entry?.revision ?? 0) + 1, wasAvailable: false };
        this.remote.set(name, entry);
      }
      const available = state.availability.status === 'True' && state.backend !== undefined;
      const urgent = available && (entry.attemptedAt === undefined || !entry.wasAvailable);
      entry.wasAvailable = available;
      if (!available || (!urgent && Date.now() - entry.attemptedAt! < interval)) continue;
      const target = entry;
      target.downloading ??= this.download(state, target).finally(() => (target.downloading = undefined));
      if (urgent) waits.push(target.downloading);
    }
    await Promise.all(waits);
  }

  /** The merged document as JSON or gnostic protobuf, for the server's own document `local` (JSON). */
  document(local: RenderedOpenAPI, format: 'json' | 'protobuf'): RenderedOpenAPI {
    const remotes = [...this.remote.values()].filter((r) => r.spec).sort((a, b) => byPriority(a.apiService, b.apiService));
    const key = [local.hash, ...remotes.map((r) => `${r.apiService.metadata.name}@${r.revision}`)].join('|');
    if (this.merged?.key !== key) {
      const doc = JSON.parse(local.bytes.toString('utf8')) as SwaggerJson;
      for (const remote of remotes) mergeSpecInto(doc, remote.spec!);
      this.merged = { key, json: renderedOpenAPI(Buffer.from(JSON.stringify(doc))) };
    }
    if (format === 'json') return this.merged.json;
    this.merged.protobuf ??= renderedOpenAPI(Buffer.from(encodeOpenAPIV2Protobuf(JSON.parse(this.merged.json.bytes.toString('utf8')) as SwaggerJson)));
    return this.merged.protobuf;
  }

  private async download(state: ServiceState, entry: RemoteSpec): Promise<void> {
    entry.attemptedAt = Date.now();
    const { group, version } = state.apiService.spec!;
    const headers = { accept: 'application/json', ...frontProxyHeaders(DOWNLOAD_USER), ...(entry.etag ? { 'if-none-match': entry.etag } : {}) };
    try {
      const res = await requestBackend(state.backend!, '/openapi/v2', { headers, timeoutMs: DOWNLOAD_TIMEOUT_MS });
      if (res.status === 304) return;
      if (res.status === 404) {
        // A backend without OpenAPI contributes nothing.
        if (entry.spec) Object.assign(entry, { spec: undefined, etag: undefined, revision: entry.revision + 1 });
        return;
      }
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      const spec = filterSpecByPathPrefix(JSON.parse(res.body.toString('utf8')) as SwaggerJson, `/apis/${group}/${version}/`);
      Object.assign(entry, { spec, etag: res.headers.etag, revision: entry.revision + 1 });
    } catch (err) {
      this.options.logger.warn({ apiService: state.apiService.metadata.name, err: (err as Error).message }, 'cannot download the OpenAPI v2 spec; keeping the last one');
    }
  }
}
