/**
 * What a server serves, read from its discovery documents (/api, /apis and
 * /apis/<group>/<version>) and remembered until invalidate() — which a client
 * calls when a resource it found there answers 404, the sign that the server
 * changed (client-go's cached discovery, refreshed on a miss).
 */
import { isNotFound } from '../api/status';
import type { GroupVersion } from '../api/meta';
import type { RESTClient } from './rest-client';

export interface ServedGroup {
  /** '' for the core group. */
  name: string;
  /** The versions served, preferred first. */
  versions: string[];
  preferredVersion: string;
}

/** One resource of one group version, as discovery lists it. */
export interface ServedResource extends GroupVersion {
  /** The plural, e.g. `deployments`. */
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  /** Subresources served, e.g. `status`. */
  subresources: string[];
}

interface WireAPIVersions {
  versions?: string[];
}

interface WireAPIGroupList {
  groups?: { name: string; versions?: { version: string }[]; preferredVersion?: { version: string } }[];
}

interface WireAPIResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs?: string[];
}

interface WireAPIResourceList {
  resources?: WireAPIResource[];
}

export class DiscoveryClient {
  private groupList?: Promise<ServedGroup[]>;
  private readonly resourceLists = new Map<string, Promise<ServedResource[]>>();

  constructor(private readonly rest: RESTClient) {}

  /** Every served group, the core group first when the server has one. */
  groups(): Promise<ServedGroup[]> {
    this.groupList ??= this.fetchGroups().catch((err: unknown) => {
      this.groupList = undefined;
      throw err;
    });
    return this.groupList;
  }

  /** One served group, or undefined. */
  async group(name: string): Promise<ServedGroup | undefined> {
    return (await this.groups()).find((g) => g.name === name);
  }

  /** The resources of a group version ([] when it is not served), subresources folded into their resource. */
  resources(gv: GroupVersion): Promise<ServedResource[]> {
    const key = `${gv.group}/${gv.version}`;
    let list = this.resourceLists.get(key);
    if (!list) {
      list = this.fetchResources(gv).catch((err: unknown) => {
        this.resourceLists.delete(key);
        throw err;
      });
      this.resourceLists.set(key, list);
    }
    return list;
  }

  /** Forgets everything; the next question asks the server again. */
  invalidate(): void {
    this.groupList = undefined;
    this.resourceLists.clear();
  }

  private async fetchGroups(): Promise<ServedGroup[]> {
    const [core, groups] = await Promise.all([
      this.getOrUndefined<WireAPIVersions>('/api'),
      this.getOrUndefined<WireAPIGroupList>('/apis'),
    ]);
    const served: ServedGroup[] = [];
    const coreVersions = core?.versions ?? [];
    if (coreVersions.length > 0) served.push({ name: '', versions: coreVersions, preferredVersion: coreVersions[0] });
    for (const g of groups?.groups ?? []) {
      const versions = (g.versions ?? []).map((v) => v.version);
      served.push({ name: g.name, versions, preferredVersion: g.preferredVersion?.version ?? versions[0] });
    }
    return served;
  }

  private async fetchResources(gv: GroupVersion): Promise<ServedResource[]> {
    const path = gv.group ? `/apis/${gv.group}/${gv.version}` : `/api/${gv.version}`;
    const list = await this.getOrUndefined<WireAPIResourceList>(path);
    const all = list?.resources ?? [];
    return all
      .filter((r) => !r.name.includes('/'))
      .map((r) => ({
        ...gv,
        resource: r.name,
        kind: r.kind,
        namespaced: r.namespaced,
        verbs: r.verbs ?? [],
        subresources: all.filter((s) => s.name.startsWith(`${r.name}/`)).map((s) => s.name.slice(r.name.length + 1)),
      }));
  }

  private async getOrUndefined<T>(path: string): Promise<T | undefined> {
    try {
      return await this.rest.request<T>(path);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
}
