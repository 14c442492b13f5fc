/**
 * The JSONPath subset printer columns use (as in CRD additionalPrinterColumns):
 * `.a.b`, `['a.b']`, `[0]`, `[*]`, and filters `[?(@.type=="Ready")]`.
 * Compiled once per column at install time.
 */

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: string[]; op: '==' | '!='; value: unknown };

export type CompiledPath = (root: unknown) => unknown[];

function parseFilter(body: string): Step {
  const m = /^@((?:\.[A-Za-z0-9_-]+)+)\s*(==|!=)\s*(.+)$/.exec(body.trim());
  if (!m) throw new Error(`unsupported JSONPath filter: ${body}`);
  const literal = m[3].trim();
  let value: unknown;
  if (/^'.*'$/.test(literal)) value = literal.slice(1, -1);
  else value = JSON.parse(literal);
  return { kind: 'filter', path: m[1].slice(1).split('.'), op: m[2] as '==' | '!=', value };
}

function parse(expression: string): Step[] {
  let expr = expression.trim();
  if (expr.startsWith('{') && expr.endsWith('}')) expr = expr.slice(1, -1);
  if (expr.startsWith('$')) expr = expr.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < expr.length) {
    if (expr[i] === '.') {
      const m = /^[A-Za-z0-9_\-/]+/.exec(expr.slice(i + 1));
      if (!m) throw new Error(`bad JSONPath ${expression} at ${i}`);
      steps.push({ kind: 'field', name: m[0] });
      i += 1 + m[0].length;
    } else if (expr[i] === '[') {
      const end = expr.indexOf(']', i);
      if (end < 0) throw new Error(`unclosed [ in JSONPath ${expression}`);
      const inner = expr.slice(i + 1, end);
      if (inner === '*') steps.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ kind: 'field', name: inner.slice(1, -1) });
      else if (inner.startsWith('?(') && inner.endsWith(')')) steps.push(parseFilter(inner.slice(2, -1)));
      else throw new Error(`unsupported JSONPath subscript [${inner}] in ${expression}`);
      i = end + 1;
    } else {
      throw new Error(`bad JSONPath ${expression} at ${i}`);
    }
  }
  return steps;
}

function get(value: unknown, path: string[]): unknown {
  let cur = value;
  for (const p of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
  return cur;
}

function apply(step: Step, values: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    if (v === null || v === undefined) continue;
    switch (step.kind) {
      case 'field':
        if (typeof v === 'object' && !Array.isArray(v) && (v as Record<string, unknown>)[step.name] !== undefined) out.push((v as Record<string, unknown>)[step.name]);
        break;
      case 'index':
        if (Array.isArray(v)) {
          const at = step.index < 0 ? v.length + step.index : step.index;
          if (at >= 0 && at < v.length) out.push(v[at]);
        }
        break;
      case 'all':
        if (Array.isArray(v)) out.push(...v);
        else if (typeof v === 'object') out.push(...Object.values(v as object));
        break;
      case 'filter':
        if (Array.isArray(v)) {
          for (const item of v) {
            const equal = get(item, step.path) === step.value;
            if (equal === (step.op === '==')) out.push(item);
          }
        }
        break;
    }
  }
  return out;
}

/** Compiles an expression; throws on syntax this subset does not support. */
export function compileJSONPath(expression: string): CompiledPath {
  const steps = parse(expression);
  return (root) => steps.reduce<unknown[]>((values, step) => apply(step, values), [root]);
}
