/** Conversion of custom resources between the versions of one CRD. */
import type { StoredObject } from '../../storage/interface';

export interface CustomResourceConverter {
  /**
   * Converts objects, each in any version of the CRD, to `apiVersion`, keeping
   * their order; objects already in it come back as they are. Rejects with a
   * StatusError (500) when conversion fails.
   */
  convert(objects: StoredObject[], apiVersion: string): Promise<StoredObject[]>;
  /** Converts one object at once; only a converter that calls nothing (None) has it. */
  convertNow?(obj: StoredObject, apiVersion: string): StoredObject;
}

/** Strategy None: the objects are the same in every version; only apiVersion changes. */
export class NoneConverter implements CustomResourceConverter {
  async convert(objects: StoredObject[], apiVersion: string): Promise<StoredObject[]> {
    return objects.map((obj) => this.convertNow(obj, apiVersion));
  }

  convertNow(obj: StoredObject, apiVersion: string): StoredObject {
    return obj.apiVersion === apiVersion ? obj : { ...obj, apiVersion };
  }
}
