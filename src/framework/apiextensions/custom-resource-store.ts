/**
 * The Store of one served version of a CRD. It differs from the generic Store
 * only in the deprecation warning that every request to a deprecated version
 * gets, reads included, as kube-apiserver sends it.
 */
import type { RequestContext } from '../registry/context';
import { Store, type StoreOptions } from '../registry/store';
import type { KubeObject } from '../runtime';

export interface CustomResourceStoreOptions extends StoreOptions<KubeObject> {
  deprecationWarning?: string;
}

export class CustomResourceStore extends Store {
  private readonly deprecationWarning?: string;

  constructor(options: CustomResourceStoreOptions) {
    super(options);
    this.deprecationWarning = options.deprecationWarning;
  }

  override get(...args: Parameters<Store['get']>): ReturnType<Store['get']> {
    this.warn(args[0]);
    return super.get(...args);
  }

  override list(...args: Parameters<Store['list']>): ReturnType<Store['list']> {
    this.warn(args[0]);
    return super.list(...args);
  }

  override watch(...args: Parameters<Store['watch']>): ReturnType<Store['watch']> {
    this.warn(args[0]);
    return super.watch(...args);
  }

  override create(...args: Parameters<Store['create']>): ReturnType<Store['create']> {
    this.warn(args[0]);
    return super.create(...args);
  }

  override update(...args: Parameters<Store['update']>): ReturnType<Store['update']> {
    this.warn(args[0]);
    return super.update(...args);
  }

  override delete(...args: Parameters<Store['delete']>): ReturnType<Store['delete']> {
    this.warn(args[0]);
    return super.delete(...args);
  }

  private warn(ctx: RequestContext): void {
    if (this.deprecationWarning && !ctx.warnings.includes(this.deprecationWarning)) ctx.warnings.push(this.deprecationWarning);
  }
}
