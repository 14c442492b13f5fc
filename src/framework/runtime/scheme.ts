/**
 * The Scheme: which classes are which kinds, how versions convert through their
 * hub, how they default, decode and encode, and what each served resource looks
 * like. Built from decorator metadata by addKnownTypes; an instance, never global.
 */
import { stringify as stringifyYAML } from 'yaml';
import {
  apiVersionOf,
  formatGroupVersionKind,
  INTERNAL_VERSION,
  ObjectMeta,
  parseApiVersion,
  type GroupVersion,
  type GroupVersionKind,
  type GroupVersionResource,
  type KubeObject,
} from '../api/meta';
import { decodeChecked, FieldTypeError, type CheckedDecodeResult } from './checked-decode';
import type { Class } from './class';
import * as decodeErrors from './decode-errors';
import { copyStruct, PLAIN, PLAIN_BY_PROPERTY, TYPED, type Representation, type StructHook } from './field-copy';
import { cloneJSON, isRecord, jsonTypeOf } from './json-value';
import { typeMetadata, type KindRecord } from './metadata-store';
import { parseBody, sniffFormat, SyntaxProblem, type ParsedBody } from './parse';
import { validateRegistration } from './registration-rules';
import type { PrinterColumn } from './printer-column';
import type { ResourceOptions, ScaleSubresource } from './resource.decorator';
import { schemaOfModel, type JSONSchemaProps } from './schema';
import { TypeModels, type TypeModel, type ValueShape } from './type-model';
import { orderVersions } from './version-order';

/** Everything the server needs about one served resource version. */
export interface ResourceInfo {
  gvk: GroupVersionKind;
  plural: string;
  singular: string;
  /** The kind of its lists, e.g. `WidgetList`. */
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  printerColumns: PrinterColumn[];
  subresources: { status: boolean; scale?: ScaleSubresource };
  /** Published selectable fields (ResourceOptions.selectableFields), when declared. */
  selectableFields?: string[];
  /** Whether strategic merge patch applies (ResourceOptions.strategicMergePatch). */
  strategicMergePatch: boolean;
  type: Class;
  /** The hub of this kind; version INTERNAL_VERSION. Its group may differ when a kind is served in several groups. */
  hubGVK: GroupVersionKind;
  description?: string;
}

export interface DecodeOptions {
  /** 'application/json' or 'application/yaml'; default: sniffed from the first character. */
  mediaType?: string;
  /** The body's apiVersion/kind must match; when missing they are taken from here. */
  expected?: GroupVersionKind;
}

export interface DecodeResult {
  object: KubeObject;
  gvk: GroupVersionKind;
  /** JSON paths like `.spec.foo` of fields no type declares; they were dropped. */
  unknownFields: string[];
  /** JSON paths of keys that occurred twice in one object; the last one won. */
  duplicateFields: string[];
}

export type ConversionFunc<A, B> = (src: A, dst: B, scheme: Scheme) => void;
export type DefaulterFunc<T> = (obj: T) => void;

/** A storage version as set: for a kind (in the group of the target) or for a served resource. */
type StorageVersionSetting = { kind: string; target: GroupVersion } | { resource: { group: string; resource: string }; target: GroupVersion };

/** One registered class and the kind it is. */
interface Registration {
  cls: Class;
  gvk: GroupVersionKind;
  role: KindRecord['role'];
  model: TypeModel;
  /** For a versioned type: the hub it converts through, if any. For a hub: itself. */
  hub?: Registration;
}

const gvkKey = (gvk: GroupVersionKind) => `${gvk.group}/${gvk.version}/${gvk.kind}`;
const gkKey = (gk: { group: string; kind: string }) => `${gk.group}/${gk.kind}`;

export class Scheme {
  private readonly models = new TypeModels();
  private readonly byClass = new Map<Function, Registration>();
  private readonly byGVK = new Map<string, Registration>();
  /** Versioned registrations by `apiVersion|kind`, as plain objects name themselves. */
  private readonly byWireKind = new Map<string, Registration>();
  private readonly hubsByGK = new Map<string, Registration>();
  private readonly resourcesByGVR = new Map<string, ResourceInfo>();
  private readonly resourcesByGVK = new Map<string, ResourceInfo>();
  /** Groups in the order their first versioned type was added. */
  private readonly groupVersions = new Map<string, Set<string>>();
  private readonly versionPriority = new Map<string, string[]>();
  /** Explicit storage versions in the order they were set; the latest one for a kind wins. */
  private readonly storageSettings: StorageVersionSetting[] = [];
  private readonly conversions = new Map<Function, Map<Function, ConversionFunc<object, object>>>();
  private readonly defaulters = new Map<Function, DefaulterFunc<object>[]>();
  private readonly schemas = new Map<Function, JSONSchemaProps>();
  /** Classes reachable from each model through its fields, itself included. */
  private readonly reachable = new Map<TypeModel, Set<Function>>();
  /** Per pair of registrations: whether convertPlain may skip instantiation. Cleared when functions are added. */
  private readonly plainPaths = new Map<string, boolean>();
  private readonly afterStruct: StructHook = (src, srcModel, dst, dstModel) => {
    this.conversions.get(srcModel.cls)?.get(dstModel.cls)?.(src, dst, this);
  };

  /**
   * Registers @Resource, @Hub and @Kind classes: validates their options, resolves
   * every field type and each versioned type's hub, and fails fast naming the class.
   * Hubs are taken first, so one call may list a kind's types in any order.
   * Adding the same class again is a no-op.
   */
  addKnownTypes(...types: Class[]): this {
    const records = types.map((cls) => {
      const record = typeMetadata.kindOf(cls);
      if (!record) throw new Error(`${cls.name} is not a kind: declare it with @Resource, @Hub or @Kind`);
      return { cls, record };
    });
    for (const { cls, record } of records) if (record.role === 'hub') this.addType(cls, record);
    for (const { cls, record } of records) if (record.role !== 'hub') this.addType(cls, record);
    return this;
  }

  /** Orders a group's versions; the first is the preferred one. Unlisted versions follow in Kubernetes order. */
  setVersionPriority(group: string, versions: string[]): this {
    this.versionPriority.set(group, [...versions]);
    return this;
  }

  /**
   * The version objects of a kind are stored in; default: the preferred version
   * of the hub's group. `gk` names the group of that version, which may be any
   * group the kind is served in (Deployments stored as extensions/v1beta1). The
   * kind's types need not be registered yet; storageVersion checks the setting.
   */
  setStorageVersion(gk: { group: string; kind: string }, version: string): this {
    this.storageSettings.push({ kind: gk.kind, target: { group: gk.group, version } });
    return this;
  }

  /**
   * The storage version of a resource named as clients name it (`deployments` in
   * `apps.example.com`), as an apiVersion of any group its kind is served in
   * (`extensions.example.com/v1beta1`): the form of --storage-version. Resolved
   * when storageVersion is asked, so the types may be registered later.
   */
  setResourceStorageVersion(gr: { group: string; resource: string }, apiVersion: string): this {
    this.storageSettings.push({ resource: { ...gr }, target: parseApiVersion(apiVersion) });
    return this;
  }

  /**
   * Registers a conversion from one class to another: two kinds (a version and its
   * hub) or two nested classes (say a versioned spec and the internal spec). It runs
   * after the default field copy into dst, so it only handles what differs: renamed,
   * moved, split or defaulted fields. Nested conversions run before the conversion
   * of the object that contains them. Registering the same pair twice is an error.
   */
  addConversion<A, B>(from: Class<A>, to: Class<B>, fn: ConversionFunc<A, B>): this {
    const byTarget = this.conversions.get(from) ?? new Map<Function, ConversionFunc<object, object>>();
    if (byTarget.has(to)) throw new Error(`a conversion from ${from.name} to ${to.name} is already registered`);
    byTarget.set(to, fn as ConversionFunc<object, object>);
    this.conversions.set(from, byTarget);
    this.plainPaths.clear();
    return this;
  }

  /**
   * Registers a defaulting function for a class, top-level or nested. Defaulters
   * run when objects are decoded or read from plain JSON, outermost object first,
   * in registration order.
   */
  addDefaulter<T>(type: Class<T>, fn: DefaulterFunc<T>): this {
    const list = this.defaulters.get(type) ?? [];
    list.push(fn as DefaulterFunc<object>);
    this.defaulters.set(type, list);
    this.plainPaths.clear();
    return this;
  }

  resourceInfo(gvr: GroupVersionResource): ResourceInfo | undefined {
    return this.resourcesByGVR.get(`${gvr.group}/${gvr.version}/${gvr.resource}`);
  }

  resourceInfoForKind(gvk: GroupVersionKind): ResourceInfo | undefined {
    return this.resourcesByGVK.get(gvkKey(gvk));
  }

  /** Every served resource version, in registration order. */
  resources(): ResourceInfo[] {
    return [...this.resourcesByGVR.values()];
  }

  /** Every group with versioned types, versions in priority order (preferred first). */
  groups(): { group: string; versions: string[] }[] {
    return [...this.groupVersions].map(([group, versions]) => ({ group, versions: orderVersions(versions, this.versionPriority.get(group)) }));
  }

  /** The version a kind is stored in; `gk` may name the hub or any group the kind is served in. */
  storageVersion(gk: { group: string; kind: string }): GroupVersionKind {
    const hub = this.hubFor(gk);
    const explicit = [...this.storageSettings].reverse().find((setting) => this.settingApplies(setting, hub));
    if (explicit !== undefined) {
      const wanted = { ...explicit.target, kind: hub.gvk.kind };
      const target = this.byGVK.get(gvkKey(wanted));
      if (!target || target.hub !== hub) {
        throw new Error(`storage version ${apiVersionOf(wanted)} of ${wanted.kind} is not a registered version of ${hub.cls.name}`);
      }
      return target.gvk;
    }
    const versioned = [...this.byClass.values()].filter((r) => r.role !== 'hub' && r.hub === hub);
    const inHubGroup = versioned.filter((r) => r.gvk.group === hub.gvk.group);
    const candidates = inHubGroup.length > 0 ? inHubGroup : versioned;
    if (candidates.length === 0) throw new Error(`${hub.cls.name} has no versioned type to store`);
    const group = candidates[0].gvk.group;
    const [preferred] = orderVersions(
      candidates.filter((r) => r.gvk.group === group).map((r) => r.gvk.version),
      this.versionPriority.get(group),
    );
    return { group, version: preferred, kind: hub.gvk.kind };
  }

  /** The kind of a typed object, from its class (a plain object: from its apiVersion/kind). */
  kindOf(obj: object): GroupVersionKind {
    return this.registrationOf(obj).gvk;
  }

  /** A fresh, empty object of a kind, with apiVersion/kind set for versioned kinds and empty metadata. */
  newObject(gvk: GroupVersionKind): KubeObject {
    const reg = this.registration(gvk);
    const obj = new reg.cls() as KubeObject;
    if (reg.model.byProperty.has('metadata') && obj.metadata === undefined) obj.metadata = new ObjectMeta();
    return this.setTypeMeta(obj, reg);
  }

  /**
   * Client bytes → a typed, defaulted versioned object. Unknown and duplicate fields
   * are reported, not fatal; bad syntax, a wrong apiVersion/kind or a value of the
   * wrong type throw StatusError 400.
   */
  decode(data: Buffer | string, opts: DecodeOptions = {}): DecodeResult {
    const text = typeof data === 'string' ? data : data.toString('utf8');
    const parsed = this.parse(text, opts.mediaType);
    const body = parsed.value;
    if (!isRecord(body)) throw decodeErrors.notAnObject(jsonTypeOf(body));
    const gvk = this.bodyKind(body, text, opts.expected);
    const reg = this.byGVK.get(gvkKey(gvk));
    if (!reg || reg.role === 'hub') throw decodeErrors.notRegistered(gvk);
    const decoded = this.decodeFields(body, reg);
    const object = this.setTypeMeta(decoded.object as unknown as KubeObject, reg);
    this.applyDefaults(object, reg.model);
    return { object, gvk: reg.gvk, unknownFields: decoded.unknownFields, duplicateFields: parsed.duplicateFields };
  }

  /** Trusted plain JSON (storage, an already validated patch result) → a typed, defaulted object; undeclared fields are dropped silently. */
  fromPlain(plain: Record<string, unknown>, gvk?: GroupVersionKind): KubeObject {
    return this.typedFromPlain(plain, gvk ? this.registration(gvk) : this.registrationOfPlain(plain), true);
  }

  /** A typed object → plain JSON with apiVersion/kind first (versioned kinds); undefined fields are omitted. */
  toPlain(obj: object): Record<string, unknown> {
    const reg = this.registrationOf(obj);
    if (reg.role === 'hub') return copyStruct(obj as Record<string, unknown>, reg.model, TYPED, reg.model, PLAIN);
    const apiVersion = apiVersionOf(reg.gvk);
    const plain = copyStruct(obj as Record<string, unknown>, reg.model, TYPED, reg.model, PLAIN, { into: { apiVersion, kind: reg.gvk.kind } });
    plain.apiVersion = apiVersion;
    plain.kind = reg.gvk.kind;
    return plain;
  }

  /**
   * A typed object as plain JSON of a version of its kind: `toPlain(convert(obj,
   * target))`, in one copy instead of two where no conversion function takes part
   * (the object is the target's type or its hub). What stores and serves use.
   */
  toPlainAs(obj: object, target: GroupVersionKind): Record<string, unknown> {
    const src = this.registrationOf(obj);
    const dst = this.registration(target);
    if (src === dst) return this.toPlain(obj);
    if (src.role !== 'hub' || dst.role === 'hub' || !this.canConvertPlainly(src, dst, false)) return this.toPlain(this.convert(obj, target));
    const apiVersion = apiVersionOf(dst.gvk);
    const plain = copyStruct(obj as Record<string, unknown>, src.model, TYPED, dst.model, PLAIN, { into: { apiVersion, kind: dst.gvk.kind } });
    plain.apiVersion = apiVersion;
    plain.kind = dst.gvk.kind;
    return plain;
  }

  /** A deep copy of a typed object, same class throughout (structuredClone would lose the classes). */
  deepCopy<T extends object>(obj: T): T {
    const reg = this.registrationOf(obj);
    return this.setTypeMeta(copyStruct(obj as Record<string, unknown>, reg.model, TYPED, reg.model, TYPED) as unknown as KubeObject, reg) as unknown as T;
  }

  /**
   * Converts a typed object to another version of its kind, through the hub:
   * version → hub → version, each step the default field copy plus any registered
   * conversion for that pair (a conversion registered directly between the two
   * types is used instead of the hub). The target may be the hub itself; the same
   * type as the source gives a deep copy. The input is never modified.
   */
  convert(obj: object, target: GroupVersionKind): KubeObject {
    const src = this.registrationOf(obj);
    const dst = this.registration(target);
    const source = obj as Record<string, unknown>;
    if (src === dst) return this.deepCopy(obj as KubeObject);
    if (this.conversionFunc(src, dst)) return this.convertStep(source, src, dst);
    const hub = this.commonHub(src, dst);
    const hubObj = src === hub ? source : this.convertStep(source, src, hub);
    return dst === hub ? (hubObj as KubeObject) : this.convertStep(hubObj as Record<string, unknown>, hub, dst);
  }

  /**
   * Converts plain versioned JSON to another version. Returns the input itself when
   * it already is that version. Kinds without registered conversion or defaulting
   * functions on the way convert plain to plain without instantiating classes.
   * The source version's defaulters run first unless `defaults` is false (a
   * conversion webhook's case: kube-apiserver defaults after converting).
   */
  convertPlain(plain: Record<string, unknown>, target: GroupVersionKind, options: { defaults?: boolean } = {}): Record<string, unknown> {
    if (plain.kind === target.kind && plain.apiVersion === apiVersionOf(target)) return plain;
    const src = this.registrationOfPlain(plain);
    const dst = this.registration(target);
    if (src === dst) return plain;
    const defaults = options.defaults ?? true;
    if (!this.canConvertPlainly(src, dst, defaults)) return this.toPlain(this.convert(this.typedFromPlain(plain, src, defaults), target));
    const hub = this.commonHub(src, dst);
    const steps = [src, hub, dst].filter((reg, i, all) => i === 0 || reg !== all[i - 1]);
    let current = plain;
    for (let i = 1; i < steps.length; i++) {
      const from: Representation = i === 1 ? PLAIN : PLAIN_BY_PROPERTY;
      const to: Representation = i === steps.length - 1 ? PLAIN : PLAIN_BY_PROPERTY;
      current = copyStruct(current, steps[i - 1].model, from, steps[i].model, to);
    }
    if (dst.role !== 'hub') {
      current.apiVersion = apiVersionOf(dst.gvk);
      current.kind = dst.gvk.kind;
    }
    return current;
  }

  encode(obj: object, mediaType: 'application/json' | 'application/yaml'): string {
    const plain = this.toPlain(obj);
    return mediaType === 'application/yaml' ? stringifyYAML(plain) : JSON.stringify(plain);
  }

  /**
   * The OpenAPI v3 structural schema of a decorated class, nested objects inline.
   * Registered versioned kinds carry x-kubernetes-group-version-kind and their
   * description. Each call returns a fresh copy the caller may change.
   */
  schemaFor(type: Class): JSONSchemaProps {
    let schema = this.schemas.get(type);
    if (!schema) {
      schema = schemaOfModel(this.models.of(type));
      const reg = this.byClass.get(type);
      if (reg && reg.role !== 'hub') {
        const description = this.resourcesByGVK.get(gvkKey(reg.gvk))?.description;
        schema = { ...(description ? { description } : {}), ...schema, 'x-kubernetes-group-version-kind': [{ ...reg.gvk }] };
      }
      this.schemas.set(type, schema);
    }
    return cloneJSON(schema);
  }

  private addType(cls: Class, record: KindRecord): void {
    if (this.byClass.has(cls)) return;
    validateRegistration(cls, record);
    const gvk: GroupVersionKind =
      record.role === 'hub'
        ? { group: record.options.group, version: INTERNAL_VERSION, kind: record.options.kind }
        : { group: record.options.group, version: record.options.version, kind: record.options.kind };
    const existing = this.byGVK.get(gvkKey(gvk));
    if (existing) throw new Error(`${cls.name}: ${formatGroupVersionKind(gvk)} is already registered by ${existing.cls.name}`);
    const model = this.models.of(cls);
    const reg: Registration = { cls, gvk, role: record.role, model };
    if (record.role === 'hub') {
      reg.hub = reg;
      this.hubsByGK.set(gkKey(gvk), reg);
    } else {
      reg.hub = this.resolveHub(cls, record);
      this.noteGroupVersion(gvk);
    }
    this.byClass.set(cls, reg);
    this.byGVK.set(gvkKey(gvk), reg);
    if (record.role !== 'hub') this.byWireKind.set(`${apiVersionOf(gvk)}|${gvk.kind}`, reg);
    if (record.role === 'resource') this.addResource(reg, record.options);
  }

  private resolveHub(cls: Class, record: Exclude<KindRecord, { role: 'hub' }>): Registration | undefined {
    const thunk = record.role === 'resource' ? record.options.hub : undefined;
    if (thunk) {
      const hubClass = thunk();
      const hubRecord = hubClass ? typeMetadata.kindOf(hubClass) : undefined;
      if (!hubClass || hubRecord?.role !== 'hub') throw new Error(`${cls.name}: its hub option must name a class declared with @Hub`);
      this.addType(hubClass, hubRecord);
      return this.byClass.get(hubClass);
    }
    const hub = this.hubsByGK.get(gkKey(record.options));
    if (!hub && record.role === 'resource') {
      throw new Error(
        `${cls.name}: no @Hub for ${record.options.kind} in group "${record.options.group}" is registered; add the hub class to addKnownTypes or set the hub option`,
      );
    }
    return hub;
  }

  private addResource(reg: Registration, opts: ResourceOptions): void {
    const subresources: ResourceInfo['subresources'] = { status: opts.subresources?.status === true };
    if (opts.subresources?.scale) subresources.scale = { ...opts.subresources.scale };
    const info: ResourceInfo = {
      gvk: reg.gvk,
      plural: opts.plural,
      singular: opts.singular ?? opts.kind.toLowerCase(),
      listKind: opts.listKind ?? `${opts.kind}List`,
      namespaced: opts.scope === 'Namespaced',
      shortNames: [...(opts.shortNames ?? [])],
      categories: [...(opts.categories ?? [])],
      printerColumns: (opts.printerColumns ?? []).map((c) => ({ ...c })),
      subresources,
      type: reg.cls,
      hubGVK: (reg.hub as Registration).gvk,
      description: opts.description,
      strategicMergePatch: opts.strategicMergePatch ?? true,
      ...(opts.selectableFields?.length ? { selectableFields: [...opts.selectableFields] } : {}),
    };
    if (subresources.status && !reg.model.byJson.has('status')) {
      throw new Error(`${reg.cls.name}: the status subresource needs a status field`);
    }
    const gvrKey = `${reg.gvk.group}/${reg.gvk.version}/${opts.plural}`;
    const clash = this.resourcesByGVR.get(gvrKey);
    if (clash) throw new Error(`${reg.cls.name}: resource ${opts.plural} in ${apiVersionOf(reg.gvk)} is already served by ${clash.type.name}`);
    this.resourcesByGVR.set(gvrKey, info);
    this.resourcesByGVK.set(gvkKey(reg.gvk), info);
  }

  private noteGroupVersion(gvk: GroupVersionKind): void {
    const versions = this.groupVersions.get(gvk.group) ?? new Set<string>();
    versions.add(gvk.version);
    this.groupVersions.set(gvk.group, versions);
  }

  private registration(gvk: GroupVersionKind): Registration {
    const reg = this.byGVK.get(gvkKey(gvk));
    if (!reg) throw new Error(`no kind is registered for ${formatGroupVersionKind(gvk)}`);
    return reg;
  }

  private registrationOf(obj: object): Registration {
    const reg = this.byClass.get(obj.constructor);
    if (reg) return reg;
    if (obj.constructor === Object) {
      const { apiVersion, kind } = obj as Record<string, unknown>;
      if (typeof apiVersion === 'string' && typeof kind === 'string') return this.registration({ ...parseApiVersion(apiVersion), kind });
      throw new Error(
        'expected an instance of a registered class, got a plain object without apiVersion/kind (structuredClone drops classes; use scheme.deepCopy)',
      );
    }
    throw new Error(`${obj.constructor.name} is not registered in this scheme`);
  }

  private registrationOfPlain(plain: Record<string, unknown>): Registration {
    const { apiVersion, kind } = plain;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') throw new Error('plain JSON needs apiVersion and kind to name its type');
    return this.byWireKind.get(`${apiVersion}|${kind}`) ?? this.registration({ ...parseApiVersion(apiVersion), kind });
  }

  private hubFor(gk: { group: string; kind: string }): Registration {
    const hub = this.hubsByGK.get(gkKey(gk));
    if (hub) return hub;
    const versioned = [...this.byClass.values()].find((r) => r.role !== 'hub' && r.gvk.group === gk.group && r.gvk.kind === gk.kind && r.hub);
    if (!versioned?.hub) throw new Error(`no hub is registered for kind ${gk.kind} in group "${gk.group}"`);
    return versioned.hub;
  }

  /** Whether a storage version setting is about this hub's kind. */
  private settingApplies(setting: StorageVersionSetting, hub: Registration): boolean {
    if ('resource' in setting) {
      const { group, resource } = setting.resource;
      const served = this.resources().find((r) => r.gvk.group === group && r.plural === resource);
      return served !== undefined && gvkKey(served.hubGVK) === gvkKey(hub.gvk);
    }
    if (setting.kind !== hub.gvk.kind) return false;
    // The hub's own group counts, and every group the kind is served in.
    return setting.target.group === hub.gvk.group || [...this.byClass.values()].some((r) => r.hub === hub && r.gvk.group === setting.target.group);
  }

  private commonHub(src: Registration, dst: Registration): Registration {
    if (!src.hub || src.hub !== dst.hub) {
      throw new Error(`cannot convert ${formatGroupVersionKind(src.gvk)} to ${formatGroupVersionKind(dst.gvk)}: they share no hub`);
    }
    return src.hub;
  }

  private conversionFunc(src: Registration, dst: Registration): ConversionFunc<object, object> | undefined {
    return this.conversions.get(src.cls)?.get(dst.cls);
  }

  /**
   * The default copy into the target class, then the registered conversions from
   * the inside out; the target's apiVersion/kind are set before its own conversion runs.
   */
  private convertStep(obj: Record<string, unknown>, src: Registration, dst: Registration): KubeObject {
    const afterStruct: StructHook = (from, fromModel, to, toModel) => {
      if (from === obj) this.setTypeMeta(to as unknown as KubeObject, dst);
      this.afterStruct(from, fromModel, to, toModel);
    };
    return copyStruct(obj, src.model, TYPED, dst.model, TYPED, { afterStruct }) as unknown as KubeObject;
  }

  /**
   * Plain-to-plain is exact only when no function could observe or change the
   * objects on the way: no conversion between a class of the source and a class
   * of the hub, nor between one of the hub and one of the target, and (when
   * defaults run) no defaulter for a class of the source.
   */
  private canConvertPlainly(src: Registration, dst: Registration, defaults: boolean): boolean {
    if (!src.hub || src.hub !== dst.hub || this.conversionFunc(src, dst)) return false;
    const key = `${gvkKey(src.gvk)}>${gvkKey(dst.gvk)}${defaults ? '' : ' without defaults'}`;
    let plainly = this.plainPaths.get(key);
    if (plainly === undefined) {
      const [inSource, inHub, inTarget] = [src, src.hub, dst].map((reg) => this.reachableClasses(reg.model));
      const converts = (from: Set<Function>, to: Set<Function>) =>
        [...this.conversions].some(([fromClass, targets]) => from.has(fromClass) && [...targets.keys()].some((toClass) => to.has(toClass)));
      plainly = !converts(inSource, inHub) && !converts(inHub, inTarget) && !(defaults && [...this.defaulters.keys()].some((cls) => inSource.has(cls)));
      this.plainPaths.set(key, plainly);
    }
    return plainly;
  }

  private typedFromPlain(plain: Record<string, unknown>, reg: Registration, defaults: boolean): KubeObject {
    const obj = copyStruct(plain, reg.model, PLAIN, reg.model, TYPED) as unknown as KubeObject;
    this.setTypeMeta(obj, reg);
    if (defaults) this.applyDefaults(obj, reg.model);
    return obj;
  }

  private reachableClasses(root: TypeModel): Set<Function> {
    let classes = this.reachable.get(root);
    if (!classes) {
      classes = new Set();
      const seen = new Set<TypeModel>();
      const visitModel = (m: TypeModel): void => {
        if (seen.has(m)) return;
        seen.add(m);
        classes?.add(m.cls);
        for (const f of m.fields) visitShape(f.shape);
      };
      const visitShape = (shape: ValueShape): void => {
        if (shape.kind === 'struct') visitModel(shape.model);
        else if (shape.kind === 'array') visitShape(shape.items);
        else if (shape.kind === 'map') visitShape(shape.values);
      };
      visitModel(root);
      this.reachable.set(root, classes);
    }
    return classes;
  }

  private setTypeMeta<T extends KubeObject>(obj: T, reg: Registration): T {
    if (reg.role === 'hub') {
      delete obj.apiVersion;
      delete obj.kind;
    } else {
      obj.apiVersion = apiVersionOf(reg.gvk);
      obj.kind = reg.gvk.kind;
    }
    return obj;
  }

  private parse(text: string, mediaType: string | undefined): ParsedBody {
    const format = mediaType === 'application/json' ? 'json' : mediaType === 'application/yaml' ? 'yaml' : sniffFormat(text);
    try {
      return parseBody(text, format);
    } catch (err) {
      if (err instanceof SyntaxProblem) throw decodeErrors.unparsableBody(err);
      throw err;
    }
  }

  /** The body's kind, checked against (and completed from) the expected one. */
  private bodyKind(body: Record<string, unknown>, text: string, expected: GroupVersionKind | undefined): GroupVersionKind {
    const { apiVersion, kind } = body;
    if (apiVersion !== undefined && typeof apiVersion !== 'string') throw decodeErrors.typeMetaNotString('apiVersion', jsonTypeOf(apiVersion));
    if (kind !== undefined && typeof kind !== 'string') throw decodeErrors.typeMetaNotString('kind', jsonTypeOf(kind));
    if (!expected) {
      if (!kind) throw decodeErrors.missingKind(text);
      if (!apiVersion) throw decodeErrors.missingApiVersion(text);
      return { ...parseApiVersion(apiVersion), kind };
    }
    if (apiVersion && apiVersion !== apiVersionOf(expected)) throw decodeErrors.wrongApiVersion(apiVersion, expected);
    if (kind && kind !== expected.kind) throw decodeErrors.wrongKind(kind, expected, text);
    return expected;
  }

  private decodeFields(body: Record<string, unknown>, reg: Registration): CheckedDecodeResult {
    try {
      return decodeChecked(body, reg.model);
    } catch (err) {
      if (err instanceof FieldTypeError) throw decodeErrors.wrongFieldType(reg.gvk, err);
      throw err;
    }
  }

  /** Runs defaulters over an object tree, outermost first. */
  private applyDefaults(obj: object, model: TypeModel): void {
    if (this.defaulters.size === 0) return;
    forEachStruct(obj, model, (value, m) => {
      for (const fn of this.defaulters.get(m.cls) ?? []) fn(value);
    });
  }
}

/** Visits every decorated-class value of a typed tree, parents before children. */
function forEachStruct(obj: object, model: TypeModel, visit: (value: object, model: TypeModel) => void): void {
  visit(obj, model);
  for (const field of model.fields) {
    const value = (obj as Record<string, unknown>)[field.property];
    if (value !== undefined && value !== null) visitShape(value, field.shape, visit);
  }
}

function visitShape(value: unknown, shape: ValueShape, visit: (value: object, model: TypeModel) => void): void {
  if (shape.kind === 'struct' && isRecord(value)) forEachStruct(value, shape.model, visit);
  else if (shape.kind === 'array' && Array.isArray(value)) for (const item of value) visitShape(item, shape.items, visit);
  else if (shape.kind === 'map' && isRecord(value)) for (const item of Object.values(value)) visitShape(item, shape.values, visit);
}
