/**
 * The REST storage of a review kind: create answers the question in status and
 * hands the object back. Nothing is ever written: lists are empty and deleting a
 * collection deletes nothing (so a namespace with reviews in it can be emptied);
 * the verbs on one object are refused.
 */
import { newMethodNotSupported } from '../../api/status';
import type { KubeObject, ResourceInfo, Scheme } from '../../runtime';
import type { RequestContext } from '../../registry/context';
import { Store } from '../../registry/store';
import { StorageError } from '../../storage/errors';
import type { ListResult, StorageInterface, StoredObject } from '../../storage/interface';

/** Answers a review in place (fills its status), or throws a StatusError when the question is malformed. */
export type ReviewFn<T> = (ctx: RequestContext, review: T) => Promise<void> | void;

function notStored(): never {
  throw new StorageError('InvalidArgument', '', 'reviews are not stored');
}

/** The storage of a kind that has none. */
const NO_STORAGE: StorageInterface = {
  create: async () => notStored(),
  get: async () => notStored(),
  list: async () => notStored(),
  guaranteedUpdate: async () => notStored(),
  delete: async () => notStored(),
  watch: async () => notStored(),
  count: async () => 0,
  currentRevision: async () => notStored(),
  compact: async () => undefined,
  healthCheck: async () => undefined,
  close: async () => undefined,
};

export class ReviewStore<T extends KubeObject> extends Store<T> {
  constructor(
    options: { scheme: Scheme; resource: ResourceInfo },
    private readonly review: ReviewFn<T>,
  ) {
    super({ ...options, storage: NO_STORAGE });
  }

  override async create(ctx: RequestContext, obj: T): Promise<StoredObject> {
    await this.review(ctx, obj);
    return this.toStored(obj);
  }

  override get(): Promise<never> {
    return this.refuse('get');
  }

  override async list(): Promise<ListResult> {
    return { items: [], resourceVersion: '1' };
  }

  override watch(): Promise<never> {
    return this.refuse('watch');
  }

  override update(): Promise<never> {
    return this.refuse('update');
  }

  override delete(): Promise<never> {
    return this.refuse('delete');
  }

  override async deleteCollection(): Promise<StoredObject[]> {
    return [];
  }

  private async refuse(verb: string): Promise<never> {
    throw newMethodNotSupported(this.groupResource, verb);
  }
}
