/** The 400s a malformed strategic merge patch gets, worded as kube-apiserver words them. */
import { newBadRequest, type StatusError } from '../../api/status';
import { formatGoValue, type JSONObject } from './json';

export function errNotAnObject(patch: unknown): StatusError {
  const kind = patch === null ? 'null' : Array.isArray(patch) ? 'array' : typeof patch;
  return newBadRequest(`a strategic merge patch must be a JSON object, not ${kind}`);
}

export function errNoMergeKey(element: unknown, mergeKey: string): StatusError {
  return newBadRequest(`map: ${formatGoValue(element)} does not contain declared merge key: ${mergeKey}`);
}

export function errBadPatchType(directive: unknown, map: JSONObject): StatusError {
  return newBadRequest(`unknown patch type: ${formatGoValue(directive)} in map: ${formatGoValue(map)}`);
}

export function errUnknownDirective(key: string): StatusError {
  return newBadRequest(`unknown strategic merge patch directive: ${key}`);
}

export function errBadRetainKeys(): StatusError {
  return newBadRequest('invalid patch format of retainKeys');
}

export function errBadSetElementOrder(): StatusError {
  return newBadRequest('invalid patch format of setElementOrder list');
}

export function errBadPrimitiveList(): StatusError {
  return newBadRequest('invalid patch format of primitive list');
}

export function errListOfLists(): StatusError {
  return newBadRequest('lists of lists are not supported');
}

export function errMergeDirectiveInList(): StatusError {
  return newBadRequest('merging lists cannot yet be specified in the patch');
}

export function errMixedElements(lists: unknown[][]): StatusError {
  return newBadRequest(`list element types are not identical: ${formatGoValue(lists)}`);
}

export function errOrderMismatch(patchList: unknown[], order: unknown[]): StatusError {
  const lists = `${formatGoValue(patchList)}\n doesn't match $setElementOrder list:\n${formatGoValue(order)}`;
  return newBadRequest(`The order in patch list:\n${lists}\n`);
}

export function errNoMergeKeyDeclared(): StatusError {
  return newBadRequest('cannot merge lists of objects without a merge key');
}
