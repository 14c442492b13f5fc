/**
 * A strategy made from hook methods on the resource class itself, for the short
 * path (`withResource`): `validate()`, `prepareForCreate()`, `prepareForUpdate(old)`,
 * `validateUpdate(old)`, each optional.
 */
import type { FieldError } from '../api/status';
import type { Class, KubeObject } from '../runtime';
import type { RESTStrategy } from './strategy';

interface ResourceHooks {
  validate?(): FieldError[];
  prepareForCreate?(): void;
  prepareForUpdate?(old: unknown): void;
  validateUpdate?(old: unknown): FieldError[];
}

export function strategyFromHooks(type: Class): RESTStrategy {
  const proto = type.prototype as ResourceHooks;
  const hooked = (obj: KubeObject) => obj as unknown as Required<ResourceHooks>;
  const strategy: RESTStrategy = {};
  if (typeof proto.validate === 'function') strategy.validate = (_ctx, obj) => hooked(obj).validate();
  if (typeof proto.prepareForCreate === 'function') strategy.prepareForCreate = (_ctx, obj) => hooked(obj).prepareForCreate();
  if (typeof proto.prepareForUpdate === 'function') strategy.prepareForUpdate = (_ctx, obj, old) => hooked(obj).prepareForUpdate(old);
  if (typeof proto.validateUpdate === 'function') strategy.validateUpdate = (_ctx, obj, old) => hooked(obj).validateUpdate(old);
  return strategy;
}
