/**
 * Bytes to plain JSON data, JSON or YAML, with the duplicate keys that JSON.parse
 * and YAML's last-one-wins would otherwise hide (fieldValidation needs them).
 */
import { isMap, isScalar, isSeq, parseDocument, type Node as YAMLNode } from 'yaml';

export interface ParsedBody {
  value: unknown;
  /** Paths like `.spec.replicas` of keys that occur more than once in one object. */
  duplicateFields: string[];
}

/** Thrown for input that is not well-formed JSON or YAML. */
export class SyntaxProblem extends Error {
  constructor(
    readonly format: 'json' | 'yaml',
    message: string,
  ) {
    super(message);
    this.name = 'SyntaxProblem';
  }
}

export type BodyFormat = 'json' | 'yaml';

/**
 * Deeper nesting is refused before parsing: the YAML parser and the code after
 * JSON.parse recurse, and a small deeply nested body would otherwise exhaust the
 * stack (or, in the YAML parser, the heap). No Kubernetes object comes close.
 */
export const MAX_NESTING_DEPTH = 500;

const TOO_DEEP = `exceeded max depth of ${MAX_NESTING_DEPTH}`;

/** Whether JSON text opens more than `max` arrays and objects inside each other (strings skipped). */
function jsonNestingExceeds(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return false;
}

/**
 * An upper bound of YAML nesting, line by line: block indentation levels, the
 * `- ` and `? ` indicators that open a collection on the same line, and open
 * flow brackets outside quotes and comments. It may overcount (a bracket in a
 * plain or block scalar); real documents stay far below the limit either way.
 */
function yamlNestingExceeds(text: string, max: number): boolean {
  const indents: number[] = [];
  let flow = 0;
  for (const line of text.split('\n')) {
    const indent = line.length - line.trimStart().length;
    const content = line.slice(indent);
    if (content === '' || content.startsWith('#')) continue;
    if (flow === 0) {
      while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
      indents.push(indent);
    }
    const indicators = /^(?:[-?](?:[ \t]+|$))*/.exec(content)![0].replace(/[ \t]/g, '').length;
    let deepest = flow;
    let quote = '';
    for (let i = 0; i < content.length; i++) {
      const c = content[i];
      if (quote) {
        if (c === '\\' && quote === '"') i++;
        else if (c === quote) quote = '';
      } else if (c === '"' || c === "'") {
        quote = c;
      } else if (c === '#' && (i === 0 || content[i - 1] === ' ')) {
        break;
      } else if (c === '[' || c === '{') {
        deepest = Math.max(deepest, ++flow);
      } else if (c === ']' || c === '}') {
        flow = Math.max(0, flow - 1);
      }
    }
    if (indents.length + indicators + deepest > max) return true;
  }
  return false;
}

/** JSON when the first non-blank character opens an object or array; YAML (a superset) otherwise. */
export function sniffFormat(text: string): BodyFormat {
  const first = /\S/.exec(text);
  return first && (first[0] === '{' || first[0] === '[') ? 'json' : 'yaml';
}

export function parseJSON(text: string): ParsedBody {
  if (jsonNestingExceeds(text, MAX_NESTING_DEPTH)) throw new SyntaxProblem('json', TOO_DEEP);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new SyntaxProblem('json', (err as Error).message);
  }
  return { value, duplicateFields: findDuplicateJSONKeys(text) };
}

export function parseYAML(text: string): ParsedBody {
  if (yamlNestingExceeds(text, MAX_NESTING_DEPTH)) throw new SyntaxProblem('yaml', TOO_DEEP);
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  const problem = doc.errors[0];
  if (problem) throw new SyntaxProblem('yaml', problem.message);
  const duplicateFields: string[] = [];
  if (doc.contents) collectDuplicateYAMLKeys(doc.contents as YAMLNode, '', duplicateFields);
  try {
    return { value: doc.toJS({ maxAliasCount: 100 }), duplicateFields };
  } catch (err) {
    throw new SyntaxProblem('yaml', (err as Error).message);
  }
}

export function parseBody(text: string, format: BodyFormat): ParsedBody {
  return format === 'json' ? parseJSON(text) : parseYAML(text);
}

interface Frame {
  path: string;
  /** Keys seen so far; null for an array. */
  keys: Set<string> | null;
  expectingKey: boolean;
  key: string;
  index: number;
}

/**
 * One pass over text that JSON.parse already accepted: tracks the keys of each
 * open object and reports repeats by path. Only strings and brackets matter.
 */
function findDuplicateJSONKeys(text: string): string[] {
  const duplicates: string[] = [];
  const stack: Frame[] = [];
  const childPath = (parent: Frame | undefined) =>
    parent === undefined ? '' : parent.keys ? `${parent.path}.${parent.key}` : `${parent.path}[${parent.index}]`;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (c === 0x22 /* " */) {
      const end = endOfString(text, i);
      if (top?.keys && top.expectingKey) {
        const raw = text.slice(i, end + 1);
        const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        if (top.keys.has(key)) duplicates.push(`${top.path}.${key}`);
        top.keys.add(key);
        top.key = key;
        top.expectingKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */) {
      stack.push({ path: childPath(top), keys: new Set(), expectingKey: true, key: '', index: 0 });
    } else if (c === 0x5b /* [ */) {
      stack.push({ path: childPath(top), keys: null, expectingKey: false, key: '', index: 0 });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */ && top) {
      if (top.keys) top.expectingKey = true;
      else top.index++;
    }
  }
  return duplicates;
}

/** The index of the closing quote of the string that opens at `start`. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; ; ) {
    const quote = text.indexOf('"', i);
    let backslashes = 0;
    for (let j = quote - 1; text.charCodeAt(j) === 0x5c; j--) backslashes++;
    if (backslashes % 2 === 0) return quote;
    i = quote + 1;
  }
}

function collectDuplicateYAMLKeys(node: YAMLNode, path: string, out: string[]): void {
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (seen.has(key)) out.push(`${path}.${key}`);
      seen.add(key);
      if (pair.value) collectDuplicateYAMLKeys(pair.value as YAMLNode, `${path}.${key}`, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => collectDuplicateYAMLKeys(item as YAMLNode, `${path}[${i}]`, out));
  }
}
