/**
 * Label selectors: the `labelSelector` query syntax (equality and set based) and
 * the matchLabels/matchExpressions object form, with apimachinery's grammar and
 * error texts. Bad syntax throws StatusError 400.
 */
import { newBadRequest } from './status';
import { isQualifiedName, isValidLabelValue } from './validation';

export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

/** One condition on one label; values are sorted and unique (empty for exists and !). */
export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

export interface LabelSelector {
  /** True when it has no requirements and so matches everything. */
  readonly empty: boolean;
  /** Sorted by key, as kube sorts them. */
  readonly requirements: readonly LabelRequirement[];
  /** Whether every requirement holds for these labels (undefined = no labels). */
  matches(labels: Record<string, string> | undefined): boolean;
  /** The canonical query form, e.g. `app=web,tier in (a,b)`. */
  toString(): string;
}

export interface LabelSelectorRequirementObject {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | string;
  values?: string[];
}

/** The metav1.LabelSelector object form used in specs. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirementObject[];
}

/** Parses `labelSelector` query syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`, `a<1`. */
export function parseLabelSelector(s: string): LabelSelector {
  try {
    return new Selector(new Parser(tokenize(s)).parse());
  } catch (err) {
    if (err instanceof SelectorSyntaxError) throw newBadRequest(err.message);
    throw err;
  }
}

/** Converts matchLabels/matchExpressions; an object with neither matches everything. */
export function labelSelectorFromObject(obj: LabelSelectorObject): LabelSelector {
  const requirements: LabelRequirement[] = [];
  try {
    for (const [key, value] of Object.entries(obj.matchLabels ?? {})) requirements.push(newRequirement(key, '=', [value]));
    for (const expr of obj.matchExpressions ?? []) {
      const operator = OBJECT_OPERATORS[expr.operator];
      if (!operator) throw new SelectorSyntaxError(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
      requirements.push(newRequirement(expr.key, operator, expr.values ?? []));
    }
  } catch (err) {
    if (err instanceof SelectorSyntaxError) throw newBadRequest(err.message);
    throw err;
  }
  return new Selector(requirements);
}

const OBJECT_OPERATORS: Record<string, LabelOperator | undefined> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

class SelectorSyntaxError extends Error {}

class Selector implements LabelSelector {
  readonly requirements: readonly LabelRequirement[];

  constructor(requirements: LabelRequirement[]) {
    this.requirements = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  get empty(): boolean {
    return this.requirements.length === 0;
  }

  matches(labels: Record<string, string> | undefined): boolean {
    return this.requirements.every((r) => requirementMatches(r, labels ?? {}));
  }

  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

function requirementMatches(r: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(labels[r.key]);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(labels[r.key]);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !/^[-+]?\d+$/.test(labels[r.key])) return false;
      const actual = Number(labels[r.key]);
      const bound = Number(r.values[0]);
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

function requirementString(r: LabelRequirement): string {
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${r.values.join(',')})`;
    case 'gt':
      return `${r.key}>${r.values[0]}`;
    case 'lt':
      return `${r.key}<${r.values[0]}`;
    default:
      return `${r.key}${r.operator}${r.values[0]}`;
  }
}

/** Validates a requirement as NewRequirement does; values become a sorted set. */
function newRequirement(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const errs: string[] = [];
  const keyErrors = isQualifiedName(key);
  if (keyErrors.length > 0) errs.push(`key: Invalid value: ${JSON.stringify(key)}: ${keyErrors.join('; ')}`);
  const invalidValues = (detail: string) => errs.push(`values: Invalid value: ${JSON.stringify(values)}: ${detail}`);
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) invalidValues("for 'in', 'notin' operators, values set can't be empty");
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) invalidValues('exact-match compatibility requires one single value');
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) invalidValues('values set must be empty for exists and does not exist');
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) invalidValues("for 'Gt', 'Lt' operators, exactly one value is required");
      values.forEach((v, i) => {
        if (!/^[-+]?\d+$/.test(v)) errs.push(`values[${i}]: Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
      });
      break;
  }
  values.forEach((v, i) => {
    for (const msg of isValidLabelValue(v)) errs.push(`values[${i}][${key}]: Invalid value: ${JSON.stringify(v)}: ${msg}`);
  });
  const unique = [...new Set(errs)];
  if (unique.length === 1) throw new SelectorSyntaxError(unique[0]);
  if (unique.length > 1) throw new SelectorSyntaxError(`[${unique.join(', ')}]`);
  return { key, operator, values: [...new Set(values)].sort() };
}

type TokenType = 'end' | 'identifier' | 'error' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'in' | 'notin';

interface Token {
  type: TokenType;
  literal: string;
}

const SYMBOL_TOKENS = new Set(['(', ')', ',', '!', '=', '==', '!=', '>', '<']);
const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

function tokenize(s: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && WHITESPACE.has(s[i])) i++;
    if (i >= s.length) {
      tokens.push({ type: 'end', literal: '' });
      return tokens;
    }
    if (SPECIAL.has(s[i])) {
      // The longest run of special characters that is still an operator, e.g. `!=` but not `!=(`.
      let end = i;
      let best: string | undefined;
      while (end < s.length && SPECIAL.has(s[end])) {
        const candidate = s.slice(i, end + 1);
        if (SYMBOL_TOKENS.has(candidate)) best = candidate;
        else if (best !== undefined) break;
        end++;
      }
      if (best === undefined) {
        tokens.push({ type: 'error', literal: `error expected: keyword found '${s.slice(i, end)}'` });
        i = end;
      } else {
        tokens.push({ type: best as TokenType, literal: best });
        i += best.length;
      }
      continue;
    }
    let end = i;
    while (end < s.length && !SPECIAL.has(s[end]) && !WHITESPACE.has(s[end])) end++;
    const word = s.slice(i, end);
    tokens.push({ type: word === 'in' || word === 'notin' ? word : 'identifier', literal: word });
    i = end;
  }
}

/** Recursive descent over the tokens, in the order and with the messages of apimachinery's parser. */
class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const next = this.peek();
      if (next.type === 'end') return requirements;
      if (next.type !== 'identifier' && next.type !== '!') {
        throw new SelectorSyntaxError(`found '${next.literal}', expected: !, identifier, or 'end of string'`);
      }
      try {
        requirements.push(this.parseRequirement());
      } catch (err) {
        if (err instanceof SelectorSyntaxError) throw new SelectorSyntaxError(`unable to parse requirement: ${err.message}`);
        throw err;
      }
      const after = this.consume();
      if (after.type === 'end') return requirements;
      if (after.type !== ',') throw new SelectorSyntaxError(`found '${after.literal}', expected: ',' or 'end of string'`);
      const following = this.peek();
      if (following.type !== 'identifier' && following.type !== '!') {
        throw new SelectorSyntaxError(`found '${following.literal}', expected: identifier after ','`);
      }
    }
  }

  /** `in`/`notin` are keywords only where an operator is expected; elsewhere they are plain words. */
  private peek(keywords = false): Token {
    return this.asContext(this.tokens[Math.min(this.position, this.tokens.length - 1)], keywords);
  }

  private consume(keywords = false): Token {
    const token = this.peek(keywords);
    this.position++;
    return token;
  }

  private asContext(token: Token, keywords: boolean): Token {
    return !keywords && (token.type === 'in' || token.type === 'notin') ? { type: 'identifier', literal: token.literal } : token;
  }

  private parseRequirement(): LabelRequirement {
    let token = this.consume();
    const negated = token.type === '!';
    if (negated) token = this.consume();
    if (token.type !== 'identifier') throw new SelectorSyntaxError(`found '${token.literal}', expected: identifier`);
    const key = token.literal;
    const keyErrors = isQualifiedName(key);
    if (keyErrors.length > 0) throw new SelectorSyntaxError(`key: Invalid value: ${JSON.stringify(key)}: ${keyErrors.join('; ')}`);
    if (negated) return newRequirement(key, '!', []);
    const next = this.peek();
    if (next.type === 'end' || next.type === ',') return newRequirement(key, 'exists', []);
    const operator = this.parseOperator();
    const values = operator === 'in' || operator === 'notin' ? this.parseValueSet() : this.parseExactValue();
    return newRequirement(key, operator, values);
  }

  private parseOperator(): LabelOperator {
    const token = this.consume(true);
    switch (token.type) {
      case 'in':
      case 'notin':
      case '=':
      case '==':
      case '!=':
        return token.type;
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      default:
        throw new SelectorSyntaxError(`found '${token.literal}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  private parseValueSet(): string[] {
    const open = this.consume();
    if (open.type !== '(') throw new SelectorSyntaxError(`found '${open.literal}' expected: '('`);
    const first = this.peek();
    if (first.type === ')') {
      this.consume();
      return [''];
    }
    if (first.type !== 'identifier' && first.type !== ',') {
      throw new SelectorSyntaxError(`found '${first.literal}', expected: ',', ')' or identifier`);
    }
    const values = this.parseIdentifierList();
    const close = this.consume();
    if (close.type !== ')') throw new SelectorSyntaxError(`found '${close.literal}', expected: ')'`);
    return values;
  }

  /** A comma-separated list in which empty items stand for the empty value, as in `(a,,b)` or `(,a)`. */
  private parseIdentifierList(): string[] {
    const values = new Set<string>();
    for (;;) {
      const token = this.consume();
      if (token.type === 'identifier') {
        values.add(token.literal);
        const next = this.peek();
        if (next.type === ')') return [...values];
        if (next.type !== ',') throw new SelectorSyntaxError(`found '${next.literal}', expected: ',' or ')'`);
      } else if (token.type === ',') {
        if (values.size === 0) values.add('');
        const next = this.peek();
        if (next.type === ')') {
          values.add('');
          return [...values];
        }
        if (next.type === ',') values.add('');
      } else {
        throw new SelectorSyntaxError(`found '${token.literal}', expected: ',', or identifier`);
      }
    }
  }

  private parseExactValue(): string[] {
    const next = this.peek();
    if (next.type === 'end' || next.type === ',') return [''];
    const token = this.consume();
    if (token.type !== 'identifier') throw new SelectorSyntaxError(`found '${token.literal}', expected: identifier`);
    return [token.literal];
  }
}
