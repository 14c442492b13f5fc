/**
 * x-kubernetes-validations: CEL rules on the nodes of a CRD's schema, as
 * apiextensions-apiserver evaluates them. A rule sees its node's value as
 * `self` (typed by the schema: integers are CEL ints, numbers doubles) and, in
 * a transition rule, the value before the update as `oldSelf`; transition rules
 * run only on updates where an old value exists (correlated through object
 * properties, map values and list-type=map items), and other rules do not run
 * on a value an update leaves unchanged (ratcheting). A rule that is not true
 * fails with its `message`, its `messageExpression` or `failed rule: <rule>`,
 * at the node's path plus the rule's `fieldPath`, as the error its `reason`
 * names (default FieldValueInvalid).
 */
import { Environment, type ParseResult } from '@marcbachmann/cel-js';
import type { FieldError } from '../api/status';
import { deepEqualJSON } from '../registry/deep-equal';
import { isRecord } from '../runtime/json-value';
import type { CustomResourceSchema } from './crd-schema';

/** One entry of x-kubernetes-validations. */
export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
}

const REASONS = ['FieldValueInvalid', 'FieldValueForbidden', 'FieldValueRequired', 'FieldValueDuplicate'] as const;
type Reason = (typeof REASONS)[number];

const environment = new Environment().registerVariable('self', 'dyn').registerVariable('oldSelf', 'dyn');

interface CompiledRule {
  source: ValidationRule;
  /** The program, or why the rule does not compile (a CRD stored before its rules were checked). */
  program: ParseResult | string;
  messageProgram?: ParseResult;
  /** Uses oldSelf: evaluated only when there is an old value. */
  transition: boolean;
  /** The rule's fieldPath as path steps appended to the node's path. */
  fieldSteps: string[];
}

/** Compiled rules per schema node; they go with the schema. */
const compiledRules = new WeakMap<CustomResourceSchema, CompiledRule[]>();

/**
 * The errors of the rules in a version's schema, as a CRD create or update
 * reports them: rules and message expressions that do not compile or have the
 * wrong result type, unknown reasons, field paths the schema does not have.
 * `path` locates the schema (`spec.versions[0].schema.openAPIV3Schema`).
 */
export function validateValidationRules(schema: CustomResourceSchema | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  visitSchema(schema, path, (node, at) => {
    const rules = node['x-kubernetes-validations'];
    if (rules === undefined) return;
    if (!Array.isArray(rules)) {
      errors.push({ type: 'FieldValueInvalid', field: `${at}.x-kubernetes-validations`, detail: 'must be a list of rules' });
      return;
    }
    rules.forEach((rule: unknown, i) => errors.push(...ruleErrors(rule, node, `${at}.x-kubernetes-validations[${i}]`)));
  });
  return errors;
}

/**
 * The failures of the rules in `schema` (a version's root schema) for one custom
 * resource, plain JSON of that version; `old` is the object before an update,
 * undefined on create.
 */
export function evaluateValidationRules(obj: Record<string, unknown>, old: Record<string, unknown> | undefined, schema: CustomResourceSchema): FieldError[] {
  const errors: FieldError[] = [];
  walk(obj, old, schema, [], errors, true);
  return errors;
}

/** Whether any node of the schema has rules. */
export function hasValidationRules(schema: CustomResourceSchema): boolean {
  let found = false;
  visitSchema(schema, '', (node) => {
    found ||= node['x-kubernetes-validations'] !== undefined;
  });
  return found;
}

function ruleErrors(raw: unknown, node: CustomResourceSchema, at: string): FieldError[] {
  if (!isRecord(raw)) return [{ type: 'FieldValueInvalid', field: at, detail: 'must be a rule object' }];
  const rule = raw as unknown as ValidationRule;
  const errors: FieldError[] = [];
  if (typeof rule.rule !== 'string' || rule.rule.trim() === '') errors.push({ type: 'FieldValueRequired', field: `${at}.rule` });
  else {
    const problem = compileProblem(rule.rule, 'bool');
    if (problem) errors.push({ type: 'FieldValueInvalid', field: `${at}.rule`, value: rule.rule, detail: problem });
  }
  if (rule.message !== undefined && /[\r\n]/.test(rule.message)) {
    errors.push({ type: 'FieldValueInvalid', field: `${at}.message`, value: rule.message, detail: 'message must not contain line breaks' });
  }
  if (rule.messageExpression !== undefined) {
    const problem = rule.messageExpression.trim() === '' ? 'must be non-empty if specified' : compileProblem(rule.messageExpression, 'string', 'messageExpression ');
    if (problem) errors.push({ type: 'FieldValueInvalid', field: `${at}.messageExpression`, value: rule.messageExpression, detail: problem });
  }
  if (rule.reason !== undefined && !(REASONS as readonly string[]).includes(rule.reason)) {
    errors.push({ type: 'FieldValueNotSupported', field: `${at}.reason`, value: rule.reason, detail: `supported values: ${REASONS.map((r) => JSON.stringify(r)).join(', ')}` });
  }
  if (rule.fieldPath !== undefined) {
    const steps = parseFieldPath(rule.fieldPath);
    if (!steps || !schemaHasPath(node, steps)) errors.push({ type: 'FieldValueInvalid', field: `${at}.fieldPath`, value: rule.fieldPath, detail: 'fieldPath must be a valid path' });
  }
  return errors;
}

/** Why an expression cannot be used (a compile error or a result of the wrong type), or undefined. */
function compileProblem(expression: string, resultType: 'bool' | 'string', prefix = ''): string | undefined {
  let program: ParseResult;
  try {
    program = environment.parse(expression);
  } catch (err) {
    return `${prefix}compilation failed: ${firstLine(err)}`;
  }
  const checked = program.check();
  if (!checked.valid) return `${prefix}compilation failed: ${firstLine(checked.error)}`;
  if (checked.type !== 'dyn' && checked.type !== resultType) return `${prefix}must evaluate to a ${resultType}`;
  return undefined;
}

function compiled(schema: CustomResourceSchema): CompiledRule[] {
  let rules = compiledRules.get(schema);
  if (!rules) {
    rules = ((schema['x-kubernetes-validations'] ?? []) as ValidationRule[]).map((source) => ({
      source,
      program: compileProblem(source.rule, 'bool') ?? environment.parse(source.rule),
      messageProgram: source.messageExpression && !compileProblem(source.messageExpression, 'string') ? environment.parse(source.messageExpression) : undefined,
      transition: /\boldSelf\b/.test(source.rule),
      fieldSteps: (source.fieldPath && parseFieldPath(source.fieldPath)) || [],
    }));
    compiledRules.set(schema, rules);
  }
  return rules;
}

type PathStep = { key: string } | { mapKey: string } | { index: number };

function walk(value: unknown, old: unknown, schema: CustomResourceSchema, path: PathStep[], errors: FieldError[], root = false): void {
  if (value === null || value === undefined) return;
  if (schema['x-kubernetes-validations']) {
    const self = toCEL(value, schema, root);
    const oldSelf = old === undefined || old === null ? undefined : toCEL(old, schema, root);
    // Ratcheting, as kube-apiserver does: a value an update leaves as it was keeps passing the rules it passed before.
    const unchanged = oldSelf !== undefined && deepEqualJSON(value, old);
    for (const rule of compiled(schema)) {
      if (rule.transition ? oldSelf === undefined : unchanged) continue;
      const failure = evaluate(rule, self, oldSelf, schema);
      if (failure) errors.push(failure(formatPath([...path, ...rule.fieldSteps.map((key) => ({ key }))])));
    }
  }
  if (isRecord(value)) {
    const oldRecord = isRecord(old) ? old : undefined;
    if (schema.properties) {
      for (const [key, child] of Object.entries(schema.properties)) {
        if (value[key] !== undefined) walk(value[key], oldRecord?.[key], child, [...path, { key }], errors);
      }
    } else if (isRecord(schema.additionalProperties)) {
      const values = schema.additionalProperties as CustomResourceSchema;
      for (const key of Object.keys(value)) walk(value[key], oldRecord?.[key], values, [...path, { mapKey: key }], errors);
    }
  } else if (Array.isArray(value) && schema.items) {
    const items = schema.items;
    const oldItem = correlatedItems(old, schema);
    value.forEach((item, index) => walk(item, oldItem(item), items, [...path, { index }], errors));
  }
}

/** How items of a list find their old selves: by key in a list-type=map, not at all otherwise. */
function correlatedItems(old: unknown, schema: CustomResourceSchema): (item: unknown) => unknown {
  const keys = schema['x-kubernetes-list-map-keys'];
  if (schema['x-kubernetes-list-type'] !== 'map' || !keys || !Array.isArray(old)) return () => undefined;
  return (item) => (isRecord(item) ? old.find((candidate) => isRecord(candidate) && keys.every((k) => candidate[k] === item[k])) : undefined);
}

/** Undefined when the rule holds; otherwise the error at the path it is given. */
function evaluate(rule: CompiledRule, self: unknown, oldSelf: unknown, schema: CustomResourceSchema): ((field: string) => FieldError) | undefined {
  const type = schema.type ?? '';
  const { program } = rule;
  if (typeof program === 'string') return (field) => ({ type: 'FieldValueInvalid', field, value: type, detail: `rule compile error: ${program}` });
  let result: unknown;
  try {
    result = program({ self, oldSelf });
  } catch (err) {
    return (field) => ({ type: 'FieldValueInvalid', field, value: type, detail: `${firstLine(err)} evaluating rule: ${rule.source.rule.trim()}` });
  }
  if (result === true) return undefined;
  const detail = messageOf(rule, self, oldSelf);
  const reason = (rule.source.reason ?? 'FieldValueInvalid') as Reason;
  return (field) => {
    switch (reason) {
      case 'FieldValueForbidden':
        return { type: 'FieldValueForbidden', field, detail };
      case 'FieldValueRequired':
        return { type: 'FieldValueRequired', field, detail };
      case 'FieldValueDuplicate':
        return { type: 'FieldValueDuplicate', field, value: type };
      default:
        return { type: 'FieldValueInvalid', field, value: type, detail };
    }
  };
}

/** The messageExpression's result when it gives a usable one, else the message, else `failed rule: <rule>`. */
function messageOf(rule: CompiledRule, self: unknown, oldSelf: unknown): string {
  const fallback = rule.source.message || `failed rule: ${rule.source.rule.trim()}`;
  if (!rule.messageProgram) return fallback;
  try {
    const message: unknown = rule.messageProgram({ self, oldSelf });
    return typeof message === 'string' && message.trim() !== '' && !/[\r\n]/.test(message) ? message : fallback;
  } catch {
    return fallback;
  }
}

/**
 * A JSON value as CEL sees it under its schema: integers become ints (bigint),
 * numbers stay doubles; where the schema says nothing, whole numbers are ints as
 * in kube's unstructured JSON. The root's metadata shows only name and generateName.
 */
function toCEL(value: unknown, schema: CustomResourceSchema | undefined, root = false): unknown {
  if (typeof value === 'number') {
    const integral = schema?.type === 'integer' || schema?.['x-kubernetes-int-or-string'] === true || (schema?.type === undefined && Number.isInteger(value));
    return integral && Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map((item) => toCEL(item, schema?.items));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  const values = isRecord(schema?.additionalProperties) ? (schema?.additionalProperties as CustomResourceSchema) : undefined;
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    if (root && key === 'metadata' && isRecord(item)) {
      out.metadata = Object.fromEntries(['name', 'generateName'].filter((k) => item[k] !== undefined).map((k) => [k, item[k]]));
    } else {
      out[key] = toCEL(item, schema?.properties?.[key] ?? values);
    }
  }
  return out;
}

/** `.spec.replicas` or `.labels['app.kubernetes.io/name']` as steps; undefined when it is not such a path. */
function parseFieldPath(fieldPath: string): string[] | undefined {
  const steps: string[] = [];
  const pattern = /\.([A-Za-z_][A-Za-z0-9_]*)|\['((?:[^'\\]|\\.)*)'\]/y;
  let at = 0;
  while (at < fieldPath.length) {
    pattern.lastIndex = at;
    const match = pattern.exec(fieldPath);
    if (!match) return undefined;
    steps.push(match[1] ?? match[2]);
    at = pattern.lastIndex;
  }
  return steps.length > 0 ? steps : undefined;
}

function schemaHasPath(schema: CustomResourceSchema, steps: string[]): boolean {
  let node: CustomResourceSchema | undefined = schema;
  for (const step of steps) {
    if (!node) return false;
    node = node.properties?.[step] ?? (isRecord(node.additionalProperties) ? (node.additionalProperties as CustomResourceSchema) : undefined);
  }
  return node !== undefined;
}

/** kube's field path notation: `spec.replicas`, `spec.tfReplicaSpecs[Worker]`, `spec.ports[1]`; `<nil>` for the root. */
function formatPath(path: PathStep[]): string {
  let out = '';
  path.forEach((step, i) => {
    if ('index' in step) out += `[${step.index}]`;
    else if ('mapKey' in step) out += `[${step.mapKey}]`;
    else out += i === 0 ? step.key : `.${step.key}`;
  });
  return out || '<nil>';
}

function visitSchema(schema: CustomResourceSchema | undefined, path: string, visit: (node: CustomResourceSchema, path: string) => void): void {
  if (!isRecord(schema)) return;
  visit(schema, path);
  for (const [name, child] of Object.entries(schema.properties ?? {})) visitSchema(child, `${path}.properties[${name}]`, visit);
  if (isRecord(schema.additionalProperties)) visitSchema(schema.additionalProperties as CustomResourceSchema, `${path}.additionalProperties`, visit);
  if (schema.items) visitSchema(schema.items, `${path}.items`, visit);
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0];
}
