export { loadClientConfig, type ClientConfig } from './client-config';
export { RESTClient, statusErrorOf, type QueryValue, type RequestOptions } from './rest-client';
export {
  ResourceClient,
  type ClientListOptions,
  type ClientWatchEvent,
  type ClientWatchOptions,
  type ObjectList,
  type PatchType,
} from './resource-client';
export { Informer, type InformerEventType, type InformerHandler, type InformerOptions } from './informer';
