/**
 * What the namespace controller empties when a namespace goes: namespaced
 * resources wherever they are served (the server's own Stores, or a server
 * behind the aggregator), found afresh on every pass as kube's controller finds
 * them through discovery.
 */

/** A resource as kube's messages name it. */
export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

/** One namespaced resource that supports delete. */
export interface NamespacedContent {
  readonly resource: GroupVersionResource;
  /**
   * Deletes every object of the resource in the namespace (as a collection, or
   * one by one where the resource has no deletecollection), with background
   * propagation. Objects with finalizers may remain, marked for deletion.
   */
  deleteAll(namespace: string): Promise<void>;
  /**
   * The finalizers of each object still in the namespace (an empty array for an
   * object without any); undefined when the resource cannot be listed.
   */
  remaining(namespace: string): Promise<string[][] | undefined>;
}

/** What one discovery found. */
export interface DiscoveredContent {
  resources: NamespacedContent[];
  /** `<group>/<version>` → why it could not be discovered (an unavailable APIService). */
  failedGroups: Map<string, string>;
}

/** Discovers namespaced content; asked once per namespace on every pass. */
export type NamespacedContentSource = () => Promise<DiscoveredContent>;

