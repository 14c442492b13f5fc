/**
 * A set of field paths, as a trie: a node's members are the path elements that end a
 * path there, its children hold the longer paths. Membership is exact: holding
 * `.spec.size` says nothing about `.spec`. Set operations never change their
 * operands, and return an operand itself (or a subtree of one) wherever the
 * result equals it, so a write's bookkeeping does not copy what it leaves alone;
 * insert is only for building a set, before it is used.
 */
import { isRecord } from '../../runtime/json-value';
import { parseElement, sortElements, type FieldPath, type PathElement } from './field-path';

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

  /** The set of these members and children (none of which may be changed afterwards). */
  static fromNode(members: Iterable<PathElement>, children: Iterable<[PathElement, FieldSet]>): FieldSet {
    const set = new FieldSet();
    for (const member of members) set.members.add(member);
    for (const [element, child] of children) if (!child.isEmpty()) set.children.set(element, child);
    return set;
  }

  insert(path: FieldPath): void {
    if (path.length === 0) return;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) {
      let child = node.children.get(path[i]);
      if (!child) {
        child = new FieldSet();
        node.children.set(path[i], child);
      }
      node = child;
    }
    node.members.add(path[path.length - 1]);
  }

  has(path: FieldPath): boolean {
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node; i++) node = node.children.get(path[i]);
    return path.length > 0 && node !== undefined && node.members.has(path[path.length - 1]);
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
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    return FieldSet.fromNode(
      [...this.members, ...other.members],
      [...new Set([...this.children.keys(), ...other.children.keys()])].map((e) => [e, this.child(e).union(other.child(e))]),
    );
  }

  intersection(other: FieldSet): FieldSet {
    if (this.isEmpty()) return this;
    if (other.isEmpty()) return other;
    return FieldSet.fromNode(
      [...this.members].filter((e) => other.members.has(e)),
      [...this.children].filter(([e]) => other.children.has(e)).map(([e, child]) => [e, child.intersection(other.child(e))]),
    );
  }

  /** The paths of this set that are not in `other`. */
  difference(other: FieldSet): FieldSet {
    if (this.isEmpty() || other.isEmpty()) return this;
    return FieldSet.fromNode(
      [...this.members].filter((e) => !other.members.has(e)),
      [...this.children].map(([e, child]) => [e, other.children.has(e) ? child.difference(other.child(e)) : child]),
    );
  }

  /** The paths of this set that neither are in `other` nor lie below a path in it. */
  recursiveDifference(other: FieldSet): FieldSet {
    if (this.isEmpty() || other.isEmpty()) return this;
    return FieldSet.fromNode(
      [...this.members].filter((e) => !other.members.has(e)),
      [...this.children]
        .filter(([e]) => !other.members.has(e))
        .map(([e, child]) => [e, other.children.has(e) ? child.recursiveDifference(other.child(e)) : child]),
    );
  }

  /** Every path, in FieldsV1 order: at each level the members, then the longer paths. */
  paths(): FieldPath[] {
    const out: FieldPath[] = sortElements(this.members).map((e) => [e]);
    for (const element of sortElements(this.children.keys())) {
      for (const path of (this.children.get(element) as FieldSet).paths()) out.push([element, ...path]);
    }
    return out;
  }

  /** The FieldsV1 trie: a leaf is `{}`, and `.` marks a node that is a member and has children. */
  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const elements = sortElements(new Set([...this.members, ...this.children.keys()]));
    for (const element of elements) {
      const child = this.children.get(element);
      if (!child) out[element] = {};
      else out[element] = this.members.has(element) ? { '.': {}, ...child.toFieldsV1() } : child.toFieldsV1();
    }
    return out;
  }
}
