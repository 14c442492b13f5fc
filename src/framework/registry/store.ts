/**
 * The generic registry Store: CRUD, watch and the metadata rules of kube-apiserver
 * over the storage interface, for any resource. Resource behaviour comes from its
 * strategy; the Store fixes the order in which the hooks run.
 *
 * Objects come in as internal (hub) objects and go out as plain objects in the
 * storage version; the handlers convert those to the version a client asked for.
 */
import { randomUUID } from 'node:crypto';
import {
  FieldError,
  GroupResource,
  newBadRequest,
  newConflict,
  newInvalid,
  newNotFound,
  OPTIMISTIC_LOCK_MESSAGE,
  StatusError,
} from '../api/status';
import type { FieldSelector, LabelSelector } from '../api';
import { validateAgainstSchema, type Class, type GroupVersionKind, type JSONSchemaProps, type KubeObject, type ResourceInfo, type Scheme } from '../runtime';
import { isStorageError } from '../storage/errors';
import { resourceKeyRoot } from '../storage/keys';
import type { ListResult, StorageInterface, StoredObject, Watcher } from '../storage/interface';
import type { AdmissionAttributes, AdmissionChain, AdmissionOperation } from '../admission/interfaces';
import type { RequestContext } from './context';
import { deepEqualJSON } from './deep-equal';
import { validateObjectMeta, validateMetadataUpdate } from './meta-validation';
import { generateName, nowTimestamp } from './names';
import type { RESTStrategy } from './strategy';
import { withStatusErrors } from './storage-errors';
import { selectionPredicate } from './selection';

export interface StoreOptions<T extends KubeObject> {
  scheme: Scheme;
  /** Any served version of the resource; the Store works in its hub and storage kinds. */
  resource: ResourceInfo;
  storage: StorageInterface;
  strategy?: RESTStrategy<T>;
  admission?: AdmissionChain;
  /**
   * The kind objects are persisted as, when a storage below the Store converts
   * them (custom resources); default the scheme's storage kind. Discovery names it.
   */
  persistedKind?: GroupVersionKind;
}

export interface ListQuery {
  labelSelector?: LabelSelector;
  fieldSelector?: FieldSelector;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
}

export interface WatchQuery {
  labelSelector?: LabelSelector;
  fieldSelector?: FieldSelector;
  resourceVersion?: string;
  allowBookmarks?: boolean;
  sendInitialEvents?: boolean;
}

export interface DeleteRequest {
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
}

/** Computes the object to store from the current one (null when it does not exist). */
export type UpdatedObjectFn<T> = (current: T | null) => Promise<T> | T;

/** Keeps metadata.managedFields of one write (k8s.io/apiserver's field manager). */
export interface ManagedFieldsTracker<T> {
  /**
   * Sees the object as it will be written, after the Store's metadata rules and before
   * admission; `live` is the stored object (null on create). What it returns is written.
   */
  track(live: T | null, obj: T): T;
}

export interface CreateRequest<T> {
  /** When set, it alone decides managedFields. */
  managedFields?: ManagedFieldsTracker<T>;
}

export interface UpdateRequest<T> {
  objInfo: UpdatedObjectFn<T>;
  /**
   * 'status' writes only the status; '' writes everything but the status (when a status
   * subresource exists), and so does 'scale', which admission sees as a write of the scale subresource.
   */
  subresource?: '' | 'status' | 'scale';
  /** Create when missing even if the strategy does not allow create-on-update (apply does). */
  forceAllowCreate?: boolean;
  /**
   * When set, it alone decides managedFields (also through /status). When not, they
   * stay as stored unless the new object sets its own.
   */
  managedFields?: ManagedFieldsTracker<T>;
}

export interface UpdateResult {
  object: StoredObject;
  created: boolean;
}

export interface DeleteResult {
  object: StoredObject;
  /** False when finalizers keep the object (it got a deletionTimestamp instead). */
  deleted: boolean;
}

const GENERATE_NAME_ATTEMPTS = 8;

/** Thrown inside a storage delete to switch to graceful deletion; never escapes the Store. */
class HasFinalizers extends Error {}

function clone<T>(value: T): T {
  return structuredClone(value);
}

export class Store<T extends KubeObject = KubeObject> {
  readonly groupResource: GroupResource;
  readonly namespaced: boolean;
  readonly hubKind: GroupVersionKind;
  readonly storageKind: GroupVersionKind;
  /** What storage holds (StoreOptions.persistedKind); discovery's storageVersionHash is computed from it. */
  readonly persistedKind: GroupVersionKind;
  readonly hasStatus: boolean;
  private readonly scheme: Scheme;
  protected readonly storage: StorageInterface;
  private readonly strategy: RESTStrategy<T>;
  private readonly admission?: AdmissionChain;
  private storageSchema?: JSONSchemaProps;
  /** `/<group>/<resource>/`, below which every object of this resource is stored. */
  readonly keyRoot: string;

  constructor(options: StoreOptions<T>) {
    const { resource } = options;
    this.scheme = options.scheme;
    this.storage = options.storage;
    this.strategy = options.strategy ?? {};
    this.admission = options.admission;
    this.hubKind = resource.hubGVK;
    this.groupResource = { group: resource.gvk.group, resource: resource.plural };
    this.namespaced = resource.namespaced;
    this.hasStatus = resource.subresources.status;
    this.storageKind = this.scheme.storageVersion({ group: this.hubKind.group, kind: this.hubKind.kind });
    this.persistedKind = options.persistedKind ?? this.storageKind;
    this.keyRoot = resourceKeyRoot({ group: this.hubKind.group, resource: resource.plural });
  }

  /** The storage key of one object. */
  keyFor(namespace: string, name: string): string {
    return this.namespaced ? `${this.keyRoot}${namespace}/${name}` : `${this.keyRoot}${name}`;
  }

  /** The key prefix of a namespace's objects, or of all objects when namespace is ''. */
  prefixFor(namespace: string): string {
    return this.namespaced && namespace ? `${this.keyRoot}${namespace}/` : this.keyRoot;
  }

  /**
   * A stored object as a typed internal object, read in the version it was
   * written in: objects stored before a change of storage version stay readable.
   */
  toHub(stored: StoredObject): T {
    return this.scheme.convert(this.scheme.fromPlain(stored), this.hubKind) as T;
  }

  /** An internal object as the plain storage-version object that is persisted. */
  toStored(obj: T): StoredObject {
    return this.scheme.toPlainAs(obj, this.storageKind) as StoredObject;
  }

  async get(ctx: RequestContext, name: string, opts: { resourceVersion?: string } = {}): Promise<StoredObject> {
    const obj = await withStatusErrors(this.groupResource, name, () =>
      this.storage.get(this.keyFor(ctx.namespace, name), { resourceVersion: opts.resourceVersion }),
    );
    return obj as StoredObject;
  }

  async list(ctx: RequestContext, query: ListQuery = {}): Promise<ListResult> {
    const predicate = selectionPredicate(query, this.strategy.selectableFields);
    return withStatusErrors(this.groupResource, '', () =>
      this.storage.list(this.prefixFor(ctx.namespace), {
        predicate,
        limit: query.limit,
        continue: query.continue,
        resourceVersion: query.resourceVersion,
        resourceVersionMatch: query.resourceVersionMatch,
      }),
    );
  }

  async watch(ctx: RequestContext, query: WatchQuery = {}): Promise<Watcher> {
    const predicate = selectionPredicate(query, this.strategy.selectableFields);
    return withStatusErrors(this.groupResource, '', () =>
      this.storage.watch(this.prefixFor(ctx.namespace), {
        recursive: true,
        predicate,
        resourceVersion: query.resourceVersion,
        progressNotify: query.allowBookmarks,
        sendInitialEvents: query.sendInitialEvents,
      }),
    );
  }

  /** Number of stored objects (for apiserver_storage_objects). */
  count(): Promise<number> {
    return this.storage.count(this.keyRoot);
  }

  async create(ctx: RequestContext, obj: T, request: CreateRequest<T> = {}): Promise<StoredObject> {
    const stored = await this.prepareCreate(ctx, obj, request.managedFields);
    if (ctx.dryRun) return stored;
    const generatePrefix = obj.metadata.generateName;
    for (let attempt = 1; ; attempt++) {
      try {
        return await withStatusErrors(this.groupResource, stored.metadata.name ?? '', () =>
          this.storage.create(this.keyFor(ctx.namespace, stored.metadata.name ?? ''), stored),
        );
      } catch (err) {
        const retry = generatePrefix && (err as StatusError).reason === 'AlreadyExists' && attempt < GENERATE_NAME_ATTEMPTS;
        if (!retry) throw err;
        stored.metadata.name = generateName(generatePrefix);
      }
    }
  }

  /** Every create (POST, PUT or apply of a missing object): metadata rules, hooks, admission; the stored form, not yet written. */
  private async prepareCreate(ctx: RequestContext, created: T, managedFields?: ManagedFieldsTracker<T>): Promise<StoredObject> {
    this.beforeCreate(ctx, created);
    const obj = managedFields ? managedFields.track(null, created) : created;
    const meta = obj.metadata;
    await this.admit('CREATE', ctx, obj, undefined);
    this.strategy.prepareForCreate?.(ctx, obj);
    const stored = this.toStored(obj);
    this.validateOrThrow(meta.name ?? '', [
      ...validateObjectMeta(meta, { namespaced: this.namespaced, validateName: this.strategy.validateName }),
      ...this.schemaErrors(stored),
      ...(this.strategy.validate?.(ctx, obj) ?? []),
    ]);
    await this.validateAdmission('CREATE', ctx, obj, undefined);
    ctx.warnings.push(...(this.strategy.warningsOnCreate?.(ctx, obj) ?? []));
    return this.canonicalStored(obj, stored);
  }

  /**
   * What is persisted: the stored form made for validation, or made again when
   * the strategy canonicalizes the object after validation. Validating admission
   * must not change the object; a change it makes anyway is not stored.
   */
  private canonicalStored(obj: T, validated: StoredObject): StoredObject {
    if (!this.strategy.canonicalize) return validated;
    this.strategy.canonicalize(obj);
    return this.toStored(obj);
  }

  /** The metadata rules every create follows, before any resource hook runs. */
  private beforeCreate(ctx: RequestContext, obj: T): void {
    const meta = (obj.metadata ??= {} as T['metadata']);
    this.checkNamespace(ctx, meta);
    if (meta.resourceVersion) throw newBadRequest('resourceVersion should not be set on objects to be created');
    if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
    meta.uid = randomUUID();
    meta.creationTimestamp = nowTimestamp();
    meta.generation = 1;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    // With a status subresource, status is written only through it.
    if (this.hasStatus) delete (obj as { status?: unknown }).status;
  }

  private checkNamespace(ctx: RequestContext, meta: T['metadata']): void {
    if (!this.namespaced) {
      if (meta.namespace) throw newBadRequest('the namespace of the provided object does not match the namespace sent on the request');
      return;
    }
    if (meta.namespace && meta.namespace !== ctx.namespace) {
      throw newBadRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.namespace = ctx.namespace;
  }

  async update(ctx: RequestContext, name: string, request: UpdateRequest<T>): Promise<UpdateResult> {
    const subresource = request.subresource ?? '';
    const allowCreate = request.forceAllowCreate || (this.strategy.allowCreateOnUpdate?.() ?? false);
    const key = this.keyFor(ctx.namespace, name);
    let created = false;

    const tryUpdate = async (current: StoredObject | null): Promise<StoredObject> => {
      created = false;
      if (current === null) {
        if (!allowCreate || subresource === 'status') throw newNotFound(this.groupResource, name);
        const obj = await request.objInfo(null);
        obj.metadata ??= {} as T['metadata'];
        if (!obj.metadata.name) obj.metadata.name = name;
        created = true;
        return this.prepareCreate(ctx, obj, request.managedFields);
      }
      const old = this.toHub(current);
      const obj = await request.objInfo(this.scheme.deepCopy(old));
      return this.prepareUpdate(ctx, name, obj, old, current, subresource, request.managedFields);
    };

    if (ctx.dryRun) {
      const current = await withStatusErrors(this.groupResource, name, () => this.storage.get(key, { ignoreNotFound: true }));
      const object = await tryUpdate(current);
      // Nothing is written, so the object keeps the version it has (kube-apiserver's dry-run storage does the same).
      // An update that changes nothing hands back the stored object itself, which the watch cache keeps frozen.
      if (!created && current && object !== current) object.metadata.resourceVersion = current.metadata.resourceVersion;
      return { object, created };
    }
    const stored = await withStatusErrors(this.groupResource, name, () =>
      this.storage.guaranteedUpdate(key, { ignoreNotFound: allowCreate, tryUpdate }),
    );
    await this.finishDeletionIfDone(key, name, stored);
    return { object: stored, created };
  }

  /** When the last finalizer is gone from an object being deleted, removes it. */
  protected async finishDeletionIfDone(key: string, name: string, stored: StoredObject): Promise<void> {
    if (stored.metadata.deletionTimestamp && this.pendingFinalizers(stored).length === 0) {
      await this.deleteNow(key, name, { resourceVersion: stored.metadata.resourceVersion });
    }
  }

  private async prepareUpdate(
    ctx: RequestContext,
    name: string,
    obj: T,
    old: T,
    current: StoredObject,
    subresource: string,
    managedFields: ManagedFieldsTracker<T> | undefined,
  ): Promise<StoredObject> {
    const meta = (obj.metadata ??= {} as T['metadata']);
    const oldMeta = old.metadata;
    if (meta.name && meta.name !== name) {
      throw newBadRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    }
    meta.name = name;
    this.checkNamespace(ctx, meta);
    if (meta.uid && meta.uid !== oldMeta.uid) {
      throw newConflict(this.groupResource, name, `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${oldMeta.uid}`);
    }
    if (meta.resourceVersion) {
      if (meta.resourceVersion !== current.metadata.resourceVersion) throw newConflict(this.groupResource, name, OPTIMISTIC_LOCK_MESSAGE);
    } else if (!(this.strategy.allowUnconditionalUpdate?.() ?? true)) {
      throw newInvalid(this.hubKind, name, [{ type: 'FieldValueInvalid', field: 'metadata.resourceVersion', value: 0, detail: 'must be specified for an update' }]);
    }

    let next: T;
    if (subresource === 'status') {
      // Only the status changes through /status; everything else stays as stored.
      next = this.scheme.deepCopy(old);
      (next as { status?: unknown }).status = (obj as { status?: unknown }).status;
      // They record this write, so they come with it.
      if (managedFields) next.metadata.managedFields = meta.managedFields;
    } else {
      next = obj;
      if (this.hasStatus) (next as { status?: unknown }).status = (old as { status?: unknown }).status;
      // Server-owned metadata survives every update.
      meta.uid = oldMeta.uid;
      meta.creationTimestamp = oldMeta.creationTimestamp;
      meta.deletionTimestamp = oldMeta.deletionTimestamp;
      meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
      meta.generation = oldMeta.generation;
      if (!managedFields && meta.managedFields === undefined) meta.managedFields = oldMeta.managedFields;
    }
    next.metadata.resourceVersion = undefined;
    if (managedFields) next = managedFields.track(old, next);

    await this.admit('UPDATE', ctx, next, old, subresource);
    const errors: FieldError[] = [];
    if (subresource === 'status') {
      errors.push(...(this.strategy.validateStatusUpdate?.(ctx, next, old) ?? []));
    } else {
      this.strategy.prepareForUpdate?.(ctx, next, old);
      errors.push(
        ...validateObjectMeta(next.metadata, { namespaced: this.namespaced, validateName: this.strategy.validateName }),
        ...validateMetadataUpdate(next.metadata, oldMeta),
        ...(this.strategy.validateUpdate?.(ctx, next, old) ?? []),
      );
    }
    const validated = this.toStored(next);
    errors.unshift(...this.schemaErrors(validated));
    this.validateOrThrow(name, errors);
    await this.validateAdmission('UPDATE', ctx, next, old, subresource);
    ctx.warnings.push(...(this.strategy.warningsOnUpdate?.(ctx, next, old) ?? []));

    const stored = this.canonicalStored(next, validated);
    stored.metadata.generation = ((current.metadata.generation as number | undefined) ?? 1) + (this.specChanged(next, old) ? 1 : 0);
    // An update that changes nothing is no write: hand back the stored object as is.
    // (Rewriting an object stored in an older version is a change: that is how storage migrates.)
    const previous = clone(current);
    previous.metadata.resourceVersion = undefined;
    return deepEqualJSON(stored, previous) ? current : stored;
  }

  /** Whether anything but metadata and status changed, compared as internal objects: the version the old one was stored in does not count. */
  private specChanged(next: T, old: T): boolean {
    const strip = ({ metadata: _m, status: _s, ...rest }: Record<string, unknown>) => rest;
    return !deepEqualJSON(strip(this.scheme.toPlain(next)), strip(this.scheme.toPlain(old)));
  }

  async delete(ctx: RequestContext, name: string, request: DeleteRequest = {}): Promise<DeleteResult> {
    const key = this.keyFor(ctx.namespace, name);
    const current = await withStatusErrors(this.groupResource, name, () => this.storage.get(key)) as StoredObject;
    this.checkPreconditions(name, current, request.preconditions);
    await this.validateAdmission('DELETE', ctx, undefined, this.toHub(current));
    if (this.pendingFinalizers(current).length > 0) return { object: await this.markDeleting(ctx, name, request), deleted: false };
    if (ctx.dryRun) return { object: current, deleted: true };
    try {
      const object = await this.deleteNow(key, name, request.preconditions, true);
      return { object, deleted: true };
    } catch (err) {
      if (err instanceof HasFinalizers) return { object: await this.markDeleting(ctx, name, request), deleted: false };
      throw err;
    }
  }

  /** DeleteOptions preconditions, refused in kube-apiserver's words (rest.BeforeDelete names the kind, not the resource). */
  private checkPreconditions(name: string, current: StoredObject, pre: DeleteRequest['preconditions']): void {
    const kind = { group: this.hubKind.group, resource: this.hubKind.kind };
    if (pre?.uid && pre.uid !== current.metadata.uid) {
      throw newConflict(
        kind,
        name,
        `the UID in the precondition (${pre.uid}) does not match the UID in record (${current.metadata.uid}). The object might have been deleted and then recreated`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw newConflict(
        kind,
        name,
        `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${current.metadata.resourceVersion}). The object might have been modified`,
      );
    }
  }

  protected async deleteNow(key: string, name: string, preconditions: DeleteRequest['preconditions'], refuseFinalized = false): Promise<StoredObject> {
    return withStatusErrors(this.groupResource, name, () =>
      this.storage.delete(key, {
        preconditions,
        validateDeletion: (latest) => {
          this.checkPreconditions(name, latest, preconditions);
          if (refuseFinalized && this.pendingFinalizers(latest).length > 0) throw new HasFinalizers();
        },
      }),
    );
  }

  /** What keeps an object from being removed at once; resources with finalizers of their own add theirs. */
  protected pendingFinalizers(obj: StoredObject): string[] {
    return (obj.metadata.finalizers as string[] | undefined) ?? [];
  }

  /** Lets a resource record its terminating state when deletion starts (e.g. a phase). */
  protected onMarkDeleting(_obj: StoredObject): void {}

  /** Graceful deletion: set deletionTimestamp and leave removal to whoever owns the finalizers. */
  private async markDeleting(ctx: RequestContext, name: string, request: DeleteRequest): Promise<StoredObject> {
    const key = this.keyFor(ctx.namespace, name);
    const mark = (current: StoredObject | null): StoredObject => {
      if (!current) throw newNotFound(this.groupResource, name);
      this.checkPreconditions(name, current, request.preconditions);
      if (current.metadata.deletionTimestamp) return current;
      const next = clone(current);
      next.metadata.deletionTimestamp = nowTimestamp();
      next.metadata.deletionGracePeriodSeconds = request.gracePeriodSeconds ?? 0;
      this.onMarkDeleting(next);
      return next;
    };
    if (ctx.dryRun) return mark(await this.storage.get(key, { ignoreNotFound: true }));
    return withStatusErrors(this.groupResource, name, () => this.storage.guaranteedUpdate(key, { tryUpdate: mark }));
  }

  /** Deletes every object the query selects; returns what was deleted or marked for deletion. */
  async deleteCollection(ctx: RequestContext, query: ListQuery, request: DeleteRequest = {}): Promise<StoredObject[]> {
    const { items } = await this.list(ctx, { ...query, limit: undefined, continue: undefined });
    const done: StoredObject[] = [];
    for (const item of items) {
      const itemCtx = { ...ctx, namespace: (item.metadata.namespace as string | undefined) ?? '' };
      try {
        done.push((await this.delete(itemCtx, item.metadata.name ?? '', request)).object);
      } catch (err) {
        // Someone else deleted it meanwhile: that is what we wanted.
        if ((err as StatusError).reason !== 'NotFound' && !isStorageError(err, 'NotFound')) throw err;
      }
    }
    return done;
  }

  /** Types, enums, patterns and ranges the type's decorators declare, checked on the stored form. */
  private schemaErrors(stored: StoredObject): FieldError[] {
    this.storageSchema ??= this.scheme.schemaFor(this.scheme.newObject(this.storageKind).constructor as Class);
    const { apiVersion: _a, kind: _k, ...fields } = stored;
    return validateAgainstSchema(fields, this.storageSchema, '');
  }

  private validateOrThrow(name: string, errors: FieldError[]): void {
    if (errors.length > 0) throw newInvalid(this.hubKind, name, errors);
  }

  private attributes(operation: AdmissionOperation, ctx: RequestContext, obj: T | undefined, old: T | undefined, subresource: string): AdmissionAttributes {
    const name = obj?.metadata?.name ?? old?.metadata?.name ?? '';
    return {
      operation,
      kind: this.hubKind,
      resource: { group: this.groupResource.group, version: ctx.version ?? this.storageKind.version, resource: this.groupResource.resource },
      subresource,
      namespace: ctx.namespace,
      name,
      object: obj,
      oldObject: old,
      user: ctx.user,
      dryRun: ctx.dryRun,
    };
  }

  private async admit(operation: AdmissionOperation, ctx: RequestContext, obj: T | undefined, old: T | undefined, subresource = ''): Promise<void> {
    if (this.admission) await this.admission.admit(this.attributes(operation, ctx, obj, old, subresource));
  }

  private async validateAdmission(operation: AdmissionOperation, ctx: RequestContext, obj: T | undefined, old: T | undefined, subresource = ''): Promise<void> {
    if (this.admission) await this.admission.validate(this.attributes(operation, ctx, obj, old, subresource));
  }
}
