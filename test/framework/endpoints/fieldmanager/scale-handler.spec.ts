/**
 * managedFields between an object and its Scale: the owners of the object's replicas
 * path (in whichever version each wrote) seen as owners of the Scale's spec.replicas,
 * and the Scale's owners after a write carried back.
 */
import assert from 'node:assert/strict';
import type { ManagedFieldsEntry } from '../../../../src/index';
import { replicasFieldPath, ScaleHandler } from '../../../../src/framework/endpoints/fieldmanager/scale-handler';

const V1 = 'example.com/v1';
const V1BETA1 = 'example.com/v1beta1';
const SCALE = 'autoscaling/v1';
const TIME = '2026-01-01T10:00:00Z';

/** v1 keeps its replicas in spec.replicas, v1beta1 in spec.count, v1alpha1 has no scale subresource. */
const handler = new ScaleHandler(V1, (apiVersion) => ({ [V1]: replicasFieldPath('.spec.replicas'), [V1BETA1]: replicasFieldPath('.spec.count') })[apiVersion]);

const entry = (manager: string, operation: 'Apply' | 'Update', apiVersion: string, fieldsV1: Record<string, unknown>, extra: Partial<ManagedFieldsEntry> = {}): ManagedFieldsEntry => ({
  manager,
  operation,
  apiVersion,
  ...(extra.time ? { time: extra.time } : {}),
  fieldsType: 'FieldsV1',
  fieldsV1,
  ...(extra.subresource ? { subresource: extra.subresource } : {}),
});
const spec = (fields: Record<string, unknown>) => ({ 'f:spec': fields });

describe('fieldmanager/ScaleHandler', () => {
  it('shows the owners of the replicas path of each version as owners of spec.replicas, and no one else', () => {
    const parent = [
      entry('applier', 'Apply', V1, spec({ 'f:replicas': {}, 'f:size': {} }), { time: TIME }),
      entry('old-client', 'Update', V1BETA1, spec({ 'f:count': {} }), { time: TIME }),
      entry('sizer', 'Update', V1, spec({ 'f:size': {} }), { time: TIME }),
      entry('ancient', 'Update', 'example.com/v1alpha1', spec({ 'f:replicas': {} }), { time: TIME }),
    ];
    assert.deepEqual(handler.toSubresource(parent), [
      entry('applier', 'Apply', SCALE, spec({ 'f:replicas': {} }), { time: TIME }),
      entry('old-client', 'Update', SCALE, spec({ 'f:replicas': {} }), { time: TIME }),
    ]);
    assert.equal(handler.toSubresource(undefined), undefined);
  });

  it('moves the replicas path to the Scale manager that took spec.replicas, dropping an owner left with nothing', () => {
    const parent = [
      entry('applier', 'Apply', V1, spec({ 'f:replicas': {}, 'f:size': {} }), { time: TIME }),
      entry('old-client', 'Update', V1BETA1, spec({ 'f:count': {} }), { time: TIME }),
    ];
    const scale = [entry('kubectl', 'Update', SCALE, spec({ 'f:replicas': {} }), { time: TIME, subresource: 'scale' })];
    assert.deepEqual(handler.toParent(parent, scale), [
      entry('applier', 'Apply', V1, spec({ 'f:size': {} }), { time: TIME }),
      entry('kubectl', 'Update', V1, spec({ 'f:replicas': {} }), { subresource: 'scale' }),
    ]);
  });

  it('keeps owners whose Scale counterpart still owns spec.replicas as they were, in their own version', () => {
    const parent = [
      entry('applier', 'Apply', V1, spec({ 'f:replicas': {}, 'f:size': {} }), { time: TIME }),
      entry('old-client', 'Update', V1BETA1, spec({ 'f:count': {}, 'f:color': {} }), { time: TIME }),
    ];
    const scale = [
      ...(handler.toSubresource(parent) as ManagedFieldsEntry[]),
      entry('co-owner', 'Apply', SCALE, spec({ 'f:replicas': {} }), { time: TIME, subresource: 'scale' }),
    ];
    assert.deepEqual(handler.toParent(parent, scale), [
      entry('co-owner', 'Apply', V1, spec({ 'f:replicas': {} }), { subresource: 'scale' }),
      ...parent,
    ]);
  });

  it('leaves the owners alone when the Scale has none, and an object without managedFields without any', () => {
    const parent = [entry('sizer', 'Update', V1, spec({ 'f:size': {} }), { time: TIME })];
    assert.deepEqual(handler.toParent(parent, undefined), parent);
    assert.equal(handler.toParent(undefined, undefined), undefined);
  });
});
