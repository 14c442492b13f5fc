/** A set of configuration files: file name → content. */
export type ConfigFiles = ReadonlyMap<string, string>;

/** The files with one changed (content) or removed (null). */
export function withFile(files: ConfigFiles, name: string, content: string | null): ConfigFiles {
  const next = new Map(files);
  if (content === null) next.delete(name);
  else next.set(name, content);
  return next;
}

export function sameFiles(a: ConfigFiles, b: ConfigFiles): boolean {
  if (a.size !== b.size) return false;
  for (const [name, content] of a) if (b.get(name) !== content) return false;
  return true;
}
