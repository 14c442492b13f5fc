/**
 * Which names of a CRD are accepted (apiextensions' naming controller): a name is
 * accepted when this CRD already serves it or no other CRD of the group uses it.
 * Plural, singular and short names share one namespace, kind and listKind another.
 * A name in conflict keeps the value accepted before (possibly none).
 */
import { CustomResourceDefinitionNames, ESTABLISHED, NAMES_ACCEPTED, type CustomResourceDefinition } from './types';
import type { ConditionValue } from './conditions';
import { isConditionTrue } from './conditions';

export interface NamesResult {
  acceptedNames: CustomResourceDefinitionNames;
  namesAccepted: ConditionValue;
  /** The Established condition to record, or undefined to keep the current one. */
  established?: ConditionValue;
}

const NO_CONFLICTS: ConditionValue = { type: NAMES_ACCEPTED, status: 'True', reason: 'NoConflicts', message: 'no conflicts found' };
const ESTABLISHED_NOW: ConditionValue = { type: ESTABLISHED, status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' };
const NOT_ESTABLISHED: ConditionValue = { type: ESTABLISHED, status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' };

/**
 * `others` are the other CRDs; those of another group do not matter. `builtInGroup`
 * says the group is served by this server's own types, which a CRD may not join.
 */
export function acceptNames(crd: CustomResourceDefinition, others: CustomResourceDefinition[], builtInGroup: boolean): NamesResult {
  const requested = crd.spec.names;
  const accepted = crd.status?.acceptedNames;
  // What is not accepted stays as before: empty for plural and kind (kube-apiserver writes "" there).
  const next = Object.assign(new CustomResourceDefinitionNames(), { plural: '', kind: '' }, accepted ?? {}) as CustomResourceDefinitionNames;
  if (builtInGroup) {
    return {
      acceptedNames: next,
      namesAccepted: {
        type: NAMES_ACCEPTED,
        status: 'False',
        reason: 'GroupConflict',
        message: `group "${crd.spec.group}" is served by this server's own types; custom resources cannot join it`,
      },
      established: isConditionTrue(crd, ESTABLISHED) ? undefined : NOT_ESTABLISHED,
    };
  }
  const resources = new Set<string>();
  const kinds = new Set<string>();
  for (const other of others) {
    if (other.spec.group !== crd.spec.group || other.metadata.name === crd.metadata.name) continue;
    const names = other.status?.acceptedNames;
    if (!names) continue;
    for (const name of [names.plural, names.singular, ...(names.shortNames ?? [])]) if (name) resources.add(name);
    for (const kind of [names.kind, names.listKind]) if (kind) kinds.add(kind);
  }
  let condition = NO_CONFLICTS;
  const conflict = (reason: string, name: string) => {
    if (condition === NO_CONFLICTS) condition = { type: NAMES_ACCEPTED, status: 'False', reason, message: `"${name}" is already in use` };
  };
  const take = (field: 'plural' | 'singular' | 'kind' | 'listKind', used: Set<string>, reason: string) => {
    const wanted = requested[field];
    if (wanted === undefined) return;
    if (wanted === accepted?.[field] || !used.has(wanted)) next[field] = wanted;
    else conflict(reason, wanted);
  };
  take('plural', resources, 'PluralConflict');
  take('singular', resources, 'SingularConflict');
  const shortConflict = (requested.shortNames ?? []).find((name) => !(accepted?.shortNames ?? []).includes(name) && resources.has(name));
  if (shortConflict) conflict('ShortNamesConflict', shortConflict);
  else next.shortNames = requested.shortNames;
  take('kind', kinds, 'KindConflict');
  take('listKind', kinds, 'ListKindConflict');
  next.categories = requested.categories;

  const namesAccepted = condition;
  let established: ConditionValue | undefined;
  if (!isConditionTrue(crd, ESTABLISHED)) established = namesAccepted.status === 'True' ? ESTABLISHED_NOW : NOT_ESTABLISHED;
  return { acceptedNames: next, namesAccepted, established };
}
