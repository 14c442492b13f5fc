/** Entity tags for conditional GETs of documents clients cache (discovery, OpenAPI). */

/** Whether an If-None-Match header names this entity tag (a list, weak tags and `*` included). */
export function matchesETag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}
