/**
 * The REST storage of a review kind: create answers the question in status and
 * hands the object back. Nothing is ever written, so create is the only verb
 * served: as in kube-apiserver, reading or deleting reviews is refused with
 * 405 on the collection, and there is no path for one review (404).
 */
import type { VerbRestricted } from '../../endpoints/installer';
import type { KubeObject, ResourceInfo, Scheme } from '../../runtime';
import type { RequestContext } from '../../registry/context';
import { Store } from '../../registry/store';
import { StorageError } from '../../storage/errors';
import type { StorageInterface, StoredObject } from '../../storage/interface';
import type { Verb } from '../../server/request-info';

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

export class ReviewStore<T extends KubeObject> extends Store<T> implements VerbRestricted {
  readonly servedVerbs: readonly Verb[] = ['create'];

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
}
