/**
 * The list kube-apiserver reads server positions from when it applies `$setElementOrder` to a list
 * merged by key. Its merge edits the original list in place: each deletion shifts the survivors
 * left over the same slots (the vacated last slot keeps a stale copy) and new elements are appended
 * into the freed slots. The ordering then reads the original's slots, so a server-only element can
 * stay ahead of a new element that took a deleted one's slot. Reproduced so that orders match kube.
 */
import { elementPatchType } from './directives';
import type { ElementIdentity } from './elements';
import { isJSONObject } from './json';

export function serverPositionsAfterMerge(
  original: unknown[],
  patchList: unknown[],
  identity: ElementIdentity,
): unknown[] {
  const slots = [...original];
  let length = slots.length;
  const directives = patchList.map((e) => (isJSONObject(e) ? elementPatchType(e) : undefined));
  patchList.forEach((element, i) => {
    if (directives[i] !== 'delete') return;
    const key = identity(element);
    for (let at = indexOf(slots, length, key, identity); at >= 0; at = indexOf(slots, length, key, identity)) {
      slots.copyWithin(at, at + 1, length);
      length--;
    }
  });
  if (directives.includes('replace')) return slots;
  const listed = new Set(slots.slice(0, length).map(identity));
  patchList.forEach((element, i) => {
    if (directives[i] !== undefined || listed.has(identity(element))) return;
    listed.add(identity(element));
    if (length < slots.length) slots[length] = element;
    length++;
  });
  return slots;
}

function indexOf(slots: unknown[], length: number, key: unknown, identity: ElementIdentity): number {
  for (let i = 0; i < length; i++) if (identity(slots[i]) === key) return i;
  return -1;
}
