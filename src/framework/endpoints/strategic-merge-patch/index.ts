export { applyStrategicMergePatch } from './apply';
export type { JSONSchemaProps as StrategicMergePatchSchema } from './schema';
