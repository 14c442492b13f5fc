/** What a registry operation knows about the request that caused it. */

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export interface RequestContext {
  /** The request's namespace; '' for cluster-scoped resources and all-namespace lists. */
  namespace: string;
  user?: UserInfo;
  /** dryRun=All: everything runs, nothing is persisted. */
  dryRun: boolean;
  /** Warnings for the client (sent as `Warning: 299` headers). */
  warnings: string[];
  /** The API version the client wrote in; absent (a write from code): the storage version. Admission sees it. */
  version?: string;
}

export function newRequestContext(init: Partial<RequestContext> = {}): RequestContext {
  return { namespace: '', dryRun: false, warnings: [], ...init };
}
