/**
 * The query parameters of list, watch and write requests, parsed and validated as
 * kube-apiserver validates ListOptions / CreateOptions / PatchOptions / DeleteOptions.
 */
import { parseFieldSelector, parseLabelSelector } from '../api';
import type { ListQuery } from '../registry/store';
import { FieldError, newBadRequest, newInvalid } from '../api/status';

/** ListOptions as a request carries them: the registry's query plus the watch parameters. */
export interface ListOptions extends ListQuery {
  timeoutSeconds?: number;
  allowWatchBookmarks: boolean;
  sendInitialEvents?: boolean;
  watch: boolean;
}

const LIST_OPTIONS_KIND = { group: 'meta.k8s.io', kind: 'ListOptions' };

function isTrue(v: string | null): boolean {
  return v === 'true' || v === '1';
}

function nonNegativeInt(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw newBadRequest(`invalid value for ${name}: ${JSON.stringify(raw)}: must be a non-negative integer`);
  return Number(raw);
}

export function parseListOptions(query: URLSearchParams, watchVerb: boolean): ListOptions {
  const labelSelector = query.get('labelSelector') ? parseLabelSelector(query.get('labelSelector') as string) : undefined;
  const fieldSelector = query.get('fieldSelector') ? parseFieldSelector(query.get('fieldSelector') as string) : undefined;
  const rvMatch = query.get('resourceVersionMatch') || undefined;
  const sendInitialEventsRaw = query.get('sendInitialEvents');
  const options: ListOptions = {
    labelSelector,
    fieldSelector,
    limit: nonNegativeInt(query, 'limit') || undefined,
    continue: query.get('continue') || undefined,
    resourceVersion: query.get('resourceVersion') ?? undefined,
    resourceVersionMatch: rvMatch as ListOptions['resourceVersionMatch'],
    timeoutSeconds: nonNegativeInt(query, 'timeoutSeconds'),
    allowWatchBookmarks: isTrue(query.get('allowWatchBookmarks')),
    sendInitialEvents: sendInitialEventsRaw === null ? undefined : isTrue(sendInitialEventsRaw),
    watch: watchVerb,
  };
  const errors = validateListOptions(options);
  if (errors.length > 0) throw newInvalid(LIST_OPTIONS_KIND, '', errors);
  return options;
}

function validateListOptions(o: ListOptions): FieldError[] {
  const errors: FieldError[] = [];
  const match = o.resourceVersionMatch;
  if (match !== undefined && match !== 'NotOlderThan' && match !== 'Exact') {
    errors.push({ type: 'FieldValueNotSupported', field: 'resourceVersionMatch', value: match, detail: 'supported values: "Exact", "NotOlderThan", ""' });
  }
  if (o.watch) {
    if (o.sendInitialEvents !== undefined) {
      if (o.sendInitialEvents && match !== 'NotOlderThan') {
        errors.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan' });
      }
    } else if (match) {
      errors.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided' });
    }
    return errors;
  }
  if (o.sendInitialEvents !== undefined) {
    errors.push({ type: 'FieldValueForbidden', field: 'sendInitialEvents', detail: 'sendInitialEvents is forbidden for list' });
  }
  if (match) {
    if (!o.resourceVersion) {
      errors.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden unless resourceVersion is provided' });
    }
    if (o.continue) {
      errors.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden when continue is provided' });
    }
    if (match === 'Exact' && o.resourceVersion === '0') {
      errors.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: '"exact" is forbidden for resourceVersion "0"' });
    }
  }
  if (o.continue && o.resourceVersion && o.resourceVersion !== '0') {
    errors.push({ type: 'FieldValueForbidden', field: 'resourceVersion', detail: 'specifying resource version is not allowed when using continue' });
  }
  return errors;
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  dryRun: boolean;
  fieldManager?: string;
  fieldValidation: FieldValidation;
  force?: boolean;
}

/** dryRun, fieldManager, fieldValidation and force (apply only) of Create/Update/PatchOptions. */
export function parseWriteOptions(query: URLSearchParams, kind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions', isApply = false): WriteOptions {
  const errors: FieldError[] = [];
  const dryRun = query.getAll('dryRun');
  for (const value of dryRun) {
    if (value !== 'All') errors.push({ type: 'FieldValueNotSupported', field: 'dryRun', value, detail: 'supported values: "All"' });
  }
  const fieldManager = query.get('fieldManager') ?? undefined;
  // Apply needs to know whose intent the body is; other writes fall back to the User-Agent.
  if (isApply && !fieldManager) errors.push({ type: 'FieldValueRequired', field: 'fieldManager', detail: 'is required for apply patch' });
  if (fieldManager !== undefined && (fieldManager.length > 128 || /[^\x20-\x7e]/.test(fieldManager))) {
    errors.push({ type: 'FieldValueInvalid', field: 'fieldManager', value: fieldManager, detail: 'must be at most 128 printable characters' });
  }
  const fieldValidation = (query.get('fieldValidation') || 'Warn') as FieldValidation;
  if (!['Strict', 'Warn', 'Ignore'].includes(fieldValidation)) {
    errors.push({ type: 'FieldValueNotSupported', field: 'fieldValidation', value: fieldValidation, detail: 'supported values: "", "Ignore", "Strict", "Warn"' });
  }
  const forceRaw = query.get('force');
  if (forceRaw !== null && !isApply) {
    errors.push({ type: 'FieldValueForbidden', field: 'force', detail: 'may not be specified for non-apply patch' });
  }
  if (errors.length > 0) throw newInvalid({ group: 'meta.k8s.io', kind }, '', errors);
  return { dryRun: dryRun.length > 0, fieldManager, fieldValidation, force: forceRaw === null ? undefined : isTrue(forceRaw) };
}
