/** What the elements of a merged list are, and how one is told apart from another. */
import { errListOfLists, errMixedElements, errNoMergeKey, errNoMergeKeyDeclared } from './errors';
import { isJSONObject } from './json';

export type ElementKind = 'object' | 'primitive';

/** What identifies a list element: its merge key value for objects, the value itself for primitives. */
export type ElementIdentity = (element: unknown) => unknown;

/** The kind every element of `lists` shares; undefined when all are empty. Lists of lists are refused. */
export function elementKind(...lists: unknown[][]): ElementKind | undefined {
  let kind: ElementKind | undefined;
  for (const list of lists) {
    for (const element of list) {
      if (Array.isArray(element)) throw errListOfLists();
      const elementKind: ElementKind = isJSONObject(element) ? 'object' : 'primitive';
      if (kind !== undefined && elementKind !== kind) throw errMixedElements(lists);
      kind = elementKind;
    }
  }
  return kind;
}

/** The identity of elements of `kind`; for objects it throws when an element lacks the merge key. */
export function elementIdentity(kind: ElementKind, mergeKey: string | undefined): ElementIdentity {
  if (kind === 'primitive') return (element) => element;
  if (!mergeKey) throw errNoMergeKeyDeclared();
  return (element) => {
    if (!isJSONObject(element) || !Object.hasOwn(element, mergeKey)) throw errNoMergeKey(element, mergeKey);
    return element[mergeKey];
  };
}
