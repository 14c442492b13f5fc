/** A CRD's status conditions: found by type, set as kube sets them (the transition time moves only when the status does). */
import { Condition } from '../api';
import { CustomResourceDefinitionStatus, type CustomResourceDefinition } from './types';

export interface ConditionValue {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

export function findCondition(crd: { status?: { conditions?: Condition[] } }, type: string): Condition | undefined {
  return crd.status?.conditions?.find((c) => c.type === type);
}

export function isConditionTrue(crd: { status?: { conditions?: Condition[] } }, type: string): boolean {
  return findCondition(crd, type)?.status === 'True';
}

/** Sets or replaces the condition of that type on a CRD; `now` becomes its lastTransitionTime when its status changes. */
export function setCondition(crd: CustomResourceDefinition, value: ConditionValue, now: string): void {
  const conditions = crd.status?.conditions ?? [];
  const previous = conditions.find((c) => c.type === value.type);
  const next = Object.assign(new Condition(), value, {
    lastTransitionTime: previous && previous.status === value.status ? previous.lastTransitionTime : now,
  });
  const at = conditions.indexOf(previous as Condition);
  if (at >= 0) conditions[at] = next;
  else conditions.push(next);
  crd.status ??= new CustomResourceDefinitionStatus();
  crd.status.conditions = conditions;
}
