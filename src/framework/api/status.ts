/**
 * The `Status` object of meta/v1 and the one error type that becomes it.
 * Everything that fails on purpose throws a StatusError; the server turns it
 * into a response in exactly one place. Anything else is an InternalError.
 */

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServerTimeout'
  | 'Timeout'
  | 'ServiceUnavailable'
  | '';

export type CauseType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTypeInvalid'
  | 'FieldManagerConflict'
  | 'ResourceVersionTooLarge'
  | 'UnexpectedServerResponse';

export interface StatusCause {
  reason?: CauseType | string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { resourceVersion?: string; continue?: string };
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** A group and a plural resource, e.g. `{group: 'apps', resource: 'deployments'}`. */
export interface GroupResource {
  group: string;
  resource: string;
}

export function formatGroupResource(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

/** One field error, as validation functions return them (apimachinery's field.Error). */
export interface FieldError {
  type: CauseType;
  field: string;
  /** The offending value; printed in the message when it is a scalar. */
  value?: unknown;
  detail?: string;
}

/** Go's `omitempty`: kube-apiserver leaves out an empty name, or the group of the core group, rather than sending "". */
function omitEmpty(details: StatusDetails): StatusDetails {
  return Object.fromEntries(Object.entries(details).filter(([, value]) => value !== '' && value !== undefined)) as StatusDetails;
}

export class StatusError extends Error {
  readonly status: Status;

  constructor(status: Omit<Status, 'kind' | 'apiVersion' | 'metadata' | 'status'> & { metadata?: Status['metadata'] }) {
    super(status.message ?? status.reason ?? 'unknown error');
    this.name = 'StatusError';
    const details = status.details && omitEmpty(status.details);
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: status.metadata ?? {}, status: 'Failure', ...status, ...(details && { details }) };
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): StatusReason | undefined {
    return this.status.reason;
  }
}

export function isStatusError(err: unknown): err is StatusError {
  return err instanceof StatusError;
}

function reasonIs(err: unknown, reason: StatusReason): boolean {
  return isStatusError(err) && err.reason === reason;
}

export const isNotFound = (err: unknown): boolean => reasonIs(err, 'NotFound');
export const isAlreadyExists = (err: unknown): boolean => reasonIs(err, 'AlreadyExists');
export const isConflict = (err: unknown): boolean => reasonIs(err, 'Conflict');
export const isInvalid = (err: unknown): boolean => reasonIs(err, 'Invalid');
export const isGone = (err: unknown): boolean => reasonIs(err, 'Gone') || reasonIs(err, 'Expired');

export function newNotFound(gr: GroupResource, name: string): StatusError {
  return new StatusError({
    code: 404,
    reason: 'NotFound',
    message: `${formatGroupResource(gr)} "${name}" not found`,
    details: { name, group: gr.group, kind: gr.resource },
  });
}

export function newAlreadyExists(gr: GroupResource, name: string): StatusError {
  return new StatusError({
    code: 409,
    reason: 'AlreadyExists',
    message: `${formatGroupResource(gr)} "${name}" already exists`,
    details: { name, group: gr.group, kind: gr.resource },
  });
}

export function newConflict(gr: GroupResource, name: string, why: string): StatusError {
  return new StatusError({
    code: 409,
    reason: 'Conflict',
    message: `Operation cannot be fulfilled on ${formatGroupResource(gr)} "${name}": ${why}`,
    details: { name, group: gr.group, kind: gr.resource },
  });
}

/** The message kube-apiserver sends for an update with a stale resourceVersion. */
export const OPTIMISTIC_LOCK_MESSAGE = 'the object has been modified; please apply your changes to the latest version and try again';

export function newBadRequest(message: string): StatusError {
  return new StatusError({ code: 400, reason: 'BadRequest', message });
}

export function newUnauthorized(message = 'Unauthorized'): StatusError {
  return new StatusError({ code: 401, reason: 'Unauthorized', message });
}

export function newForbidden(gr: GroupResource, name: string, why: string): StatusError {
  const what = name ? `${formatGroupResource(gr)} "${name}"` : formatGroupResource(gr);
  return new StatusError({
    code: 403,
    reason: 'Forbidden',
    message: `${what} is forbidden: ${why}`,
    details: { name: name || undefined, group: gr.group, kind: gr.resource },
  });
}

export function newMethodNotSupported(gr: GroupResource, action: string): StatusError {
  return new StatusError({
    code: 405,
    reason: 'MethodNotAllowed',
    message: `${action} is not supported on resources of kind "${formatGroupResource(gr)}"`,
    details: { group: gr.group, kind: gr.resource },
  });
}

export function newNotAcceptable(message: string): StatusError {
  return new StatusError({ code: 406, reason: 'NotAcceptable', message });
}

export function newGone(message: string): StatusError {
  return new StatusError({ code: 410, reason: 'Gone', message });
}

/** 410 with reason Expired: a resourceVersion or continue token that compaction removed. */
export function newResourceExpired(message: string): StatusError {
  return new StatusError({ code: 410, reason: 'Expired', message });
}

export function newRequestEntityTooLarge(message: string): StatusError {
  return new StatusError({ code: 413, reason: 'RequestEntityTooLarge', message });
}

/** Like kube-apiserver's, this Status carries no details: the message lists what would be accepted. */
export function newUnsupportedMediaType(supported: string[]): StatusError {
  return new StatusError({
    code: 415,
    reason: 'UnsupportedMediaType',
    message: `the body of the request was in an unknown format - accepted media types include: ${supported.join(', ')}`,
  });
}

export function newTooManyRequests(message: string, retryAfterSeconds: number): StatusError {
  return new StatusError({ code: 429, reason: 'TooManyRequests', message, details: { retryAfterSeconds } });
}

export function newInternalError(message = 'an error on the server has prevented the request from succeeding'): StatusError {
  return new StatusError({ code: 500, reason: 'InternalError', message: `Internal error occurred: ${message}` });
}

export function newServiceUnavailable(message: string): StatusError {
  return new StatusError({ code: 503, reason: 'ServiceUnavailable', message });
}

export function newTimeout(message: string, retryAfterSeconds = 0): StatusError {
  return new StatusError({ code: 504, reason: 'Timeout', message, details: { retryAfterSeconds } });
}

function describeFieldError(e: FieldError): string {
  const shown = e.value === undefined || (typeof e.value === 'object' && e.value !== null) ? '' : `${JSON.stringify(e.value)}`;
  switch (e.type) {
    case 'FieldValueRequired':
      return `${e.field}: Required value${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueNotFound':
      return `${e.field}: Not found: ${shown}`;
    case 'FieldValueDuplicate':
      return `${e.field}: Duplicate value: ${shown}`;
    case 'FieldValueForbidden':
      return `${e.field}: Forbidden${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueNotSupported':
      return `${e.field}: Unsupported value: ${shown}${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueTooLong':
      return `${e.field}: Too long${e.detail ? `: ${e.detail}` : ''}`;
    default:
      return `${e.field}: Invalid value: ${shown || '...'}${e.detail ? `: ${e.detail}` : ''}`;
  }
}

/** 422 Invalid with one cause per field error, worded as apimachinery words them. */
export function newInvalid(kind: { group: string; kind: string }, name: string, errors: FieldError[]): StatusError {
  const what = kind.group ? `${kind.kind}.${kind.group}` : kind.kind;
  const parts = errors.map(describeFieldError);
  const list = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return new StatusError({
    code: 422,
    reason: 'Invalid',
    message: `${what} "${name}" is invalid: ${list}`,
    details: {
      name,
      group: kind.group,
      kind: kind.kind,
      causes: errors.map((e) => ({ reason: e.type, message: describeFieldError(e).slice(e.field.length + 2), field: e.field })),
    },
  });
}
