/**
 * The order of a merged list, as kube-apiserver computes it: elements named by the patch (or by
 * `$setElementOrder`) come in that order; the others keep their order on the server and are
 * interleaved so that each stays before the first patch element that followed it on the server.
 */
import type { ElementIdentity } from './elements';

/**
 * Orders `merged` by `patchOrder` (elements it names) and `serverOrder` (all others).
 * Every element of the three lists must be identifiable by `identity` (it throws otherwise).
 */
export function orderMergedList(
  merged: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  identity: ElementIdentity,
): unknown[] {
  const patchPositions = positions(patchOrder, identity);
  const serverPositions = positions(serverOrder, identity);
  const fromPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const element of merged) (patchPositions.has(identity(element)) ? fromPatch : serverOnly).push(element);
  sortBy(fromPatch, patchPositions, identity);
  sortBy(serverOnly, serverPositions, identity);
  return interleave(serverOnly, fromPatch, serverPositions, identity);
}

function positions(list: unknown[], identity: ElementIdentity): Map<unknown, number> {
  const byIdentity = new Map<unknown, number>();
  list.forEach((element, index) => {
    const id = identity(element);
    if (!byIdentity.has(id)) byIdentity.set(id, index);
  });
  return byIdentity;
}

/** Stable sort by position; elements without one keep their relative order at the end. */
function sortBy(list: unknown[], order: Map<unknown, number>, identity: ElementIdentity): void {
  const at = (element: unknown): number => order.get(identity(element)) ?? Number.POSITIVE_INFINITY;
  list.sort((a, b) => (at(a) === at(b) ? 0 : at(a) < at(b) ? -1 : 1));
}

/** Inserts each server-only element before the first patch element that came after it on the server. */
function interleave(
  serverOnly: unknown[],
  fromPatch: unknown[],
  serverPositions: Map<unknown, number>,
  identity: ElementIdentity,
): unknown[] {
  const result: unknown[] = [];
  let s = 0;
  let p = 0;
  while (s < serverOnly.length && p < fromPatch.length) {
    const serverAt = serverPositions.get(identity(serverOnly[s]));
    const patchAt = serverPositions.get(identity(fromPatch[p]));
    const serverFirst = serverAt !== undefined && patchAt !== undefined && serverAt < patchAt;
    result.push(serverFirst ? serverOnly[s++] : fromPatch[p++]);
  }
  return result.concat(serverOnly.slice(s), fromPatch.slice(p));
}
