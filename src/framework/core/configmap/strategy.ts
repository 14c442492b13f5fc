/**
 * How ConfigMaps behave on create and update, with kube's validation messages:
 * keys are config keys, data and binaryData do not share a key, the whole payload
 * stays under 1 MiB, binaryData is base64, and an immutable ConfigMap keeps its
 * data and stays immutable.
 */
import { isDeepStrictEqual } from 'node:util';
import type { FieldError } from '../../api/status';
import type { RESTStrategy } from '../../registry/strategy';
import type { ConfigMap } from './types';

/** The largest data plus binaryData a ConfigMap may hold (kube's MaxSecretSize). */
export const MAX_CONFIG_MAP_BYTES = 1024 * 1024;

const CONFIG_KEY_MAX_LENGTH = 253;
const CONFIG_KEY_FMT = '[-._a-zA-Z0-9]+';
const configKey = new RegExp(`^${CONFIG_KEY_FMT}$`);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** apimachinery's IsConfigMapKey: the messages for a key that cannot name a file in a volume. */
export function isConfigMapKey(key: string): string[] {
  const errs: string[] = [];
  if (key.length > CONFIG_KEY_MAX_LENGTH) errs.push(`must be no more than ${CONFIG_KEY_MAX_LENGTH} characters`);
  if (!configKey.test(key)) {
    errs.push(
      `a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '${CONFIG_KEY_FMT}')`,
    );
  }
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

export function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errors: FieldError[] = [];
  let totalBytes = 0;
  for (const [key, value] of Object.entries(cm.data ?? {})) {
    for (const detail of isConfigMapKey(key)) errors.push({ type: 'FieldValueInvalid', field: 'data', value: key, detail });
    totalBytes += Buffer.byteLength(value);
  }
  for (const [key, value] of Object.entries(cm.binaryData ?? {})) {
    for (const detail of isConfigMapKey(key)) errors.push({ type: 'FieldValueInvalid', field: 'binaryData', value: key, detail });
    if (cm.data && Object.hasOwn(cm.data, key)) errors.push({ type: 'FieldValueInvalid', field: 'binaryData', value: key, detail: 'duplicate of key present in data' });
    if (!BASE64.test(value)) errors.push({ type: 'FieldValueInvalid', field: `binaryData[${key}]`, value: '<binary>', detail: 'must be base64-encoded' });
    totalBytes += Buffer.byteLength(value, 'base64');
  }
  if (totalBytes > MAX_CONFIG_MAP_BYTES) errors.push({ type: 'FieldValueTooLong', field: '', detail: `must have at most ${MAX_CONFIG_MAP_BYTES} bytes` });
  return errors;
}

export function validateConfigMapUpdate(cm: ConfigMap, old: ConfigMap): FieldError[] {
  const errors: FieldError[] = [];
  if (old.immutable) {
    const detail = 'field is immutable when `immutable` is set';
    if (!cm.immutable) errors.push({ type: 'FieldValueForbidden', field: 'immutable', detail });
    if (!isDeepStrictEqual(cm.data ?? {}, old.data ?? {})) errors.push({ type: 'FieldValueForbidden', field: 'data', detail });
    if (!isDeepStrictEqual(cm.binaryData ?? {}, old.binaryData ?? {})) errors.push({ type: 'FieldValueForbidden', field: 'binaryData', detail });
  }
  return [...errors, ...validateConfigMap(cm)];
}

export const configMapStrategy: RESTStrategy<ConfigMap> = {
  validate: (_ctx, cm) => validateConfigMap(cm),
  validateUpdate: (_ctx, cm, old) => validateConfigMapUpdate(cm, old),
};
