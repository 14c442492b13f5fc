/**
 * The decorator metadata store: the one global of the framework. Decorators only
 * record here (class-transformer/TypeORM style); a Scheme reads, validates and
 * builds from it, resolving type thunks lazily so classes may refer to each other
 * in any declaration order.
 */
import type { Class } from './class';
import type { FieldOptions, FieldTypeThunk } from './field.decorator';
import type { HubOptions } from './hub.decorator';
import type { KindOptions } from './kind.decorator';
import type { ResourceOptions } from './resource.decorator';

/** What one @Field recorded on one property. */
export interface FieldRecord {
  property: string;
  thunk?: FieldTypeThunk;
  /** `design:type` when the compiler emitted it (tsc with emitDecoratorMetadata). */
  designType?: unknown;
  options: FieldOptions;
}

/** What the class-level decorator recorded: the role a class plays in a Scheme. */
export type KindRecord =
  | { role: 'resource'; options: ResourceOptions }
  | { role: 'hub'; options: HubOptions }
  | { role: 'kind'; options: KindOptions };

class TypeMetadataStore {
  // Weak: classes made at runtime (a CustomResourceDefinition's) go with their last user.
  private readonly ownFields = new WeakMap<Function, FieldRecord[]>();
  private readonly kinds = new WeakMap<Function, KindRecord>();

  addField(target: Function, record: FieldRecord): void {
    const fields = this.ownFields.get(target) ?? [];
    const at = fields.findIndex((f) => f.property === record.property);
    if (at >= 0) fields[at] = record;
    else fields.push(record);
    this.ownFields.set(target, fields);
  }

  setKind(target: Function, record: KindRecord): void {
    const existing = this.kinds.get(target);
    if (existing) {
      throw new Error(`${target.name} is already declared as @${decoratorName(existing.role)}; a class has one role`);
    }
    this.kinds.set(target, record);
  }

  kindOf(target: Function): KindRecord | undefined {
    return this.kinds.get(target);
  }

  /** The fields of a class including inherited ones, base class first; a subclass may redeclare a field. */
  fieldsOf(target: Class): FieldRecord[] {
    const chain: Function[] = [];
    for (let c: unknown = target; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
      chain.unshift(c as Function);
    }
    const byProperty = new Map<string, FieldRecord>();
    for (const c of chain) for (const f of this.ownFields.get(c) ?? []) byProperty.set(f.property, f);
    return [...byProperty.values()];
  }
}

function decoratorName(role: KindRecord['role']): string {
  return role === 'resource' ? 'Resource' : role === 'hub' ? 'Hub' : 'Kind';
}

export const typeMetadata = new TypeMetadataStore();
