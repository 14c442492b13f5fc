import { typeMetadata } from './metadata-store';

export interface KindOptions {
  group: string;
  version: string;
  kind: string;
}

/** A versioned kind that is not a served resource, such as an options or review type. */
export function Kind(opts: KindOptions): ClassDecorator {
  return (target) => typeMetadata.setKind(target, { role: 'kind', options: opts });
}
