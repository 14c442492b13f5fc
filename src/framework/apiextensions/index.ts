export { installAPIExtensions } from './install';
export type { APIExtensionsInstallOptions, InstalledAPIExtensions } from './install';
export { CustomResourceDefinitionStore } from './crd-store';
export {
  APIEXTENSIONS_GROUP,
  CUSTOM_RESOURCE_CLEANUP_FINALIZER,
  CustomResourceDefinition,
  CustomResourceDefinitionV1,
  ESTABLISHED,
  NAMES_ACCEPTED,
  TERMINATING,
} from './types';
export type { CustomResourceSchema } from './crd-schema';
