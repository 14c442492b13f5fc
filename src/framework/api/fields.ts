/**
 * Field selectors: `fieldSelector=metadata.name=a,status.phase!=Done` — a comma
 * separated conjunction of `=`, `==` and `!=` terms. `\`, `,` and `=` in values
 * are escaped with a backslash, as in apimachinery. Bad syntax throws StatusError 400.
 */
import { newBadRequest } from './status';

export type FieldOperator = '=' | '==' | '!=';

export interface FieldRequirement {
  field: string;
  operator: FieldOperator;
  value: string;
}

export interface FieldSelector {
  /** True when it has no requirements and so matches everything. */
  readonly empty: boolean;
  readonly requirements: readonly FieldRequirement[];
  /** Whether every requirement holds; a field that is absent counts as the empty string. */
  matches(fields: Record<string, string>): boolean;
  /** The canonical query form, values escaped. */
  toString(): string;
}

/** Operators in the order they are tried at each position, so `!=` and `==` win over `=`. */
const OPERATORS: FieldOperator[] = ['!=', '==', '='];

export function parseFieldSelector(s: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const term of splitUnescaped(s, ',')) {
    if (term === '') continue;
    const split = splitTerm(term);
    if (!split) throw newBadRequest(`invalid selector: '${s}'; can't understand '${term}'`);
    requirements.push({ field: split.field, operator: split.operator, value: unescapeValue(split.value) });
  }
  return new Selector(requirements);
}

class Selector implements FieldSelector {
  constructor(readonly requirements: readonly FieldRequirement[]) {}

  get empty(): boolean {
    return this.requirements.length === 0;
  }

  matches(fields: Record<string, string>): boolean {
    return this.requirements.every((r) => {
      const actual = fields[r.field] ?? '';
      return r.operator === '!=' ? actual !== r.value : actual === r.value;
    });
  }

  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeValue(r.value)}`).join(',');
  }
}

/** Splits on separators that are not escaped, keeping the escapes in the parts. */
function splitUnescaped(s: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === separator) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

function splitTerm(term: string): { field: string; operator: FieldOperator; value: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    if (term[i] === '\\') {
      i++;
      continue;
    }
    for (const operator of OPERATORS) {
      if (term.startsWith(operator, i)) return { field: term.slice(0, i), operator, value: term.slice(i + operator.length) };
    }
  }
  return undefined;
}

function unescapeValue(value: string): string {
  if (!value.includes('\\') && !value.includes('=') && !value.includes(',')) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') {
      const next = value[i + 1];
      if (next !== '\\' && next !== ',' && next !== '=') {
        throw newBadRequest(`invalid field selector: invalid escape sequence: ${value.slice(i, i + 2)}`);
      }
      out += next;
      i++;
    } else if (c === ',' || c === '=') {
      throw newBadRequest(`invalid field selector: unescaped character ${JSON.stringify(c)}`);
    } else {
      out += c;
    }
  }
  return out;
}

function escapeValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}
