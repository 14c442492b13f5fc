/**
 * Merging Swagger 2.0 documents the way kube-aggregator merges its backends'
 * `/openapi/v2`: each backend contributes only the paths of its group version
 * and what they reference; paths already present win (the server's own first,
 * then backends by APIService priority), and a definition or shared parameter
 * whose name is taken by a different one is renamed (`<name>_v2`, …) together
 * with every reference to it.
 */
import { isDeepStrictEqual } from 'node:util';

export type SwaggerJson = Record<string, unknown>;

const SECTIONS = ['definitions', 'parameters'] as const;
type Section = (typeof SECTIONS)[number];

function section(doc: SwaggerJson, name: Section | 'paths'): Record<string, unknown> {
  return (doc[name] as Record<string, unknown> | undefined) ?? {};
}

/** Every `$ref` below `value`, e.g. `#/definitions/io.k8s.api.core.v1.Pod`. */
function refsIn(value: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string') found.add(v);
      else refsIn(v, found);
    }
  }
  return found;
}

function withRefsRenamed(value: unknown, renamed: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => withRefsRenamed(item, renamed));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, key === '$ref' && typeof v === 'string' ? (renamed.get(v) ?? v) : withRefsRenamed(v, renamed)]),
  );
}

/**
 * The paths of `spec` that start with `prefix` (`/apis/<group>/<version>/`),
 * with the definitions and parameters they reach, directly or through others.
 */
export function filterSpecByPathPrefix(spec: SwaggerJson, prefix: string): SwaggerJson {
  const paths = Object.fromEntries(Object.entries(section(spec, 'paths')).filter(([path]) => path.startsWith(prefix)));
  const kept: Record<Section, Record<string, unknown>> = { definitions: {}, parameters: {} };
  const pending = [...refsIn(paths, new Set())];
  for (let ref = pending.pop(); ref !== undefined; ref = pending.pop()) {
    const match = /^#\/(definitions|parameters)\/(.+)$/.exec(ref);
    if (!match) continue;
    const [, name, key] = match as unknown as [string, Section, string];
    const value = section(spec, name)[key];
    if (value === undefined || key in kept[name]) continue;
    kept[name][key] = value;
    pending.push(...refsIn(value, new Set()));
  }
  const out: SwaggerJson = { ...spec, paths, definitions: kept.definitions };
  if (Object.keys(kept.parameters).length > 0) out.parameters = kept.parameters;
  else delete out.parameters;
  return out;
}

/** Adds what `source` has and `target` lacks to `target` (see the module comment); `source` is not changed. */
export function mergeSpecInto(target: SwaggerJson, source: SwaggerJson): void {
  const renamed = new Map<string, string>();
  for (const name of SECTIONS) {
    const existing = section(target, name);
    const incoming = section(source, name);
    for (const [key, value] of Object.entries(incoming)) {
      if (!(key in existing) || isDeepStrictEqual(existing[key], value)) continue;
      let n = 2;
      while (`${key}_v${n}` in existing || `${key}_v${n}` in incoming) n++;
      renamed.set(`#/${name}/${key}`, `#/${name}/${key}_v${n}`);
    }
  }
  const renamedKey = (name: Section, key: string) => (renamed.get(`#/${name}/${key}`) ?? `#/${name}/${key}`).slice(`#/${name}/`.length);
  for (const name of SECTIONS) {
    const incoming = section(source, name);
    if (Object.keys(incoming).length === 0) continue;
    const existing = (target[name] ??= {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(incoming)) {
      const newKey = renamedKey(name, key);
      if (!(newKey in existing)) existing[newKey] = withRefsRenamed(value, renamed);
    }
  }
  const paths = (target.paths ??= {}) as Record<string, unknown>;
  for (const [path, item] of Object.entries(section(source, 'paths'))) {
    if (!(path in paths)) paths[path] = withRefsRenamed(item, renamed);
  }
}
