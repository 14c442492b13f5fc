import { MessageName, MessageNames } from './schema';

/** The built-in kinds this codec reads and writes, by apiVersion and kind. */
const KIND_MESSAGES: ReadonlyArray<{ apiVersion: string; kind: string; message: MessageName }> = [
  { apiVersion: 'v1', kind: 'Namespace', message: MessageNames.Namespace },
  { apiVersion: 'v1', kind: 'ConfigMap', message: MessageNames.ConfigMap },
  { apiVersion: 'v1', kind: 'Secret', message: MessageNames.Secret },
];

/**
 * The message of a kind, or undefined when the codec does not know it.
 * DeleteOptions is meta/v1's, whatever group version it is sent as: every group
 * version registers the same type.
 */
export function messageForKind(apiVersion: string, kind: string): MessageName | undefined {
  if (kind === 'DeleteOptions') return MessageNames.DeleteOptions;
  return KIND_MESSAGES.find((k) => k.apiVersion === apiVersion && k.kind === kind)?.message;
}
