/**
 * A set of field paths, as a trie: a node's members are the path elements that end a
 * path there, its children hold the longer paths. Membership is exact: holding
 * `.spec.size` says nothing about `.spec`. Set operations return new sets and never
 * change their operands; insert is only for building a set.
 */
import { isRecord } from '../../runtime/json-value';
import { compareElements, parseElement, type FieldPath, type PathElement } from './field-path';

export class FieldSet {
  private readonly members = new Set<PathElement>();
  /** Never holds an empty set. */
  private readonly children = new Map<PathElement, FieldSet>();

  static of(paths: Iterable<FieldPath>): FieldSet {
    const set = new FieldSet();
    for (const path of paths) set.insert(path);
    return set;
  }

  /** The set a FieldsV1 trie describes; throws on anything malformed. */
  static fromFieldsV1(fields: unknown): FieldSet {
    if (!isRecord(fields)) throw new Error('fieldsV1 must be an object');
    const set = new FieldSet();
    for (const [raw, value] of Object.entries(fields)) {
      if (raw === '.') continue;
      const element = parseElement(raw);
      if (!isRecord(value)) throw new Error(`the value of ${JSON.stringify(raw)} must be an object`);
      const child = FieldSet.fromFieldsV1(value);
      if (child.isEmpty() || Object.hasOwn(value, '.')) set.members.add(element);
      if (!child.isEmpty()) set.children.set(element, child);
    }
    return set;
  }

  insert(path: FieldPath): void {
    if (path.length === 0) return;
    const [head, ...rest] = path;
    if (rest.length === 0) {
      this.members.add(head);
      return;
    }
    let child = this.children.get(head);
    if (!child) {
      child = new FieldSet();
      this.children.set(head, child);
    }
    child.insert(rest);
  }

  has(path: FieldPath): boolean {
    if (path.length === 0) return false;
    const [head, ...rest] = path;
    return rest.length === 0 ? this.members.has(head) : (this.children.get(head)?.has(rest) ?? false);
  }

  /** Whether `element` itself is in the set (a path of length one). */
  hasMember(element: PathElement): boolean {
    return this.members.has(element);
  }

  /** The paths below `element`, without it. */
  child(element: PathElement): FieldSet {
    return this.children.get(element) ?? new FieldSet();
  }

  isEmpty(): boolean {
    return this.members.size === 0 && this.children.size === 0;
  }

  memberElements(): PathElement[] {
    return [...this.members];
  }

  childEntries(): [PathElement, FieldSet][] {
    return [...this.children];
  }

  union(other: FieldSet): FieldSet {
    return FieldSet.build(
      [...this.members, ...other.members],
      [...new Set([...this.children.keys(), ...other.children.keys()])].map((e) => [e, this.child(e).union(other.child(e))]),
    );
  }

  intersection(other: FieldSet): FieldSet {
    return FieldSet.build(
      [...this.members].filter((e) => other.members.has(e)),
      [...this.children].filter(([e]) => other.children.has(e)).map(([e, child]) => [e, child.intersection(other.child(e))]),
    );
  }

  /** The paths of this set that are not in `other`. */
  difference(other: FieldSet): FieldSet {
    return FieldSet.build(
      [...this.members].filter((e) => !other.members.has(e)),
      [...this.children].map(([e, child]) => [e, other.children.has(e) ? child.difference(other.child(e)) : child]),
    );
  }

  /** The paths of this set that neither are in `other` nor lie below a path in it. */
  recursiveDifference(other: FieldSet): FieldSet {
    return FieldSet.build(
      [...this.members].filter((e) => !other.members.has(e)),
      [...this.children]
        .filter(([e]) => !other.members.has(e))
        .map(([e, child]) => [e, other.children.has(e) ? child.recursiveDifference(other.child(e)) : child]),
    );
  }

  /** Every path, in FieldsV1 order: at each level the members, then the longer paths. */
  paths(): FieldPath[] {
    const out: FieldPath[] = [...this.members].sort(compareElements).map((e) => [e]);
    for (const [element, child] of [...this.children].sort(([a], [b]) => compareElements(a, b))) {
      for (const path of child.paths()) out.push([element, ...path]);
    }
    return out;
  }

  /** The FieldsV1 trie: a leaf is `{}`, and `.` marks a node that is a member and has children. */
  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const elements = [...new Set([...this.members, ...this.children.keys()])].sort(compareElements);
    for (const element of elements) {
      const child = this.children.get(element);
      if (!child) out[element] = {};
      else out[element] = this.members.has(element) ? { '.': {}, ...child.toFieldsV1() } : child.toFieldsV1();
    }
    return out;
  }

  private static build(members: Iterable<PathElement>, children: [PathElement, FieldSet][]): FieldSet {
    const set = new FieldSet();
    for (const member of members) set.members.add(member);
    for (const [element, child] of children) if (!child.isEmpty()) set.children.set(element, child);
    return set;
  }
}
