import { typeMetadata } from './metadata-store';

export interface HubOptions {
  group: string;
  kind: string;
}

/** The internal (hub) type of a kind: every conversion passes through it; never on the wire. */
export function Hub(opts: HubOptions): ClassDecorator {
  return (target) => typeMetadata.setKind(target, { role: 'hub', options: opts });
}
