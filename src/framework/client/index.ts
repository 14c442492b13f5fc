export { loadClientConfig, type ClientConfig } from './client-config';
export { RESTClient, type RESTRequestOptions } from './rest-client';
export {
  ResourceClient,
  type ClientListOptions,
  type ClientPatchType,
  type ClientWatchEvent,
  type ClientWatchOptions,
  type ObjectList,
} from './resource-client';
export { Informer, type InformerEventType, type InformerHandler, type InformerOptions } from './informer';
