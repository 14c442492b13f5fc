export { ConfigMap, ConfigMapV1 } from './types';
export { configMapStrategy, isConfigMapKey, MAX_CONFIG_MAP_BYTES, validateConfigMap, validateConfigMapUpdate } from './strategy';
export { CONFIG_MAPS, configMapGroup } from './install';
