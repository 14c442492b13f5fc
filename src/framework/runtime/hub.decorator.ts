import { typeMetadata } from './metadata-store';

export interface HubOptions {
  group: string;
  kind: string;
  /** Keep top-level fields the class does not declare (see ResourceOptions.preserveUnknownFields). */
  preserveUnknownFields?: boolean;
}

/** The internal (hub) type of a kind: every conversion passes through it; never on the wire. */
export function Hub(opts: HubOptions): ClassDecorator {
  return (target) => typeMetadata.setKind(target, { role: 'hub', options: opts });
}
