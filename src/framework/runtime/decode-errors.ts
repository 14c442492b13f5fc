/** The 400 BadRequest errors of decoding, worded as kube-apiserver words them. */
import { StatusError, newBadRequest } from '../api/status';
import { apiVersionOf, type GroupVersionKind } from '../api/meta';
import type { FieldTypeError } from './checked-decode';
import type { SyntaxProblem } from './parse';

export function unparsableBody(problem: SyntaxProblem): StatusError {
  return newBadRequest(`couldn't get version/kind; ${problem.format} parse error: ${problem.message}`);
}

export function notAnObject(found: string): StatusError {
  return newBadRequest(`couldn't get version/kind; json parse error: json: cannot unmarshal ${found} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
}

export function typeMetaNotString(field: 'apiVersion' | 'kind', found: string): StatusError {
  return newBadRequest(`couldn't get version/kind; json parse error: json: cannot unmarshal ${found} into Go struct field .${field} of type string`);
}

export function missingKind(body: string): StatusError {
  return newBadRequest(`Object 'Kind' is missing in '${abbreviate(body)}'`);
}

export function missingApiVersion(body: string): StatusError {
  return newBadRequest(`Object 'apiVersion' is missing in '${abbreviate(body)}'`);
}

export function wrongApiVersion(found: string, expected: GroupVersionKind): StatusError {
  return newBadRequest(`the API version in the data (${found}) does not match the expected API version (${apiVersionOf(expected)})`);
}

export function wrongKind(found: string, expected: GroupVersionKind, body: string): StatusError {
  return newBadRequest(
    `the object provided is unrecognized (must be of type ${expected.kind}): found kind "${found}", expected "${expected.kind}" (${abbreviate(body)})`,
  );
}

export function notRegistered(gvk: GroupVersionKind): StatusError {
  return newBadRequest(`no kind "${gvk.kind}" is registered for version "${apiVersionOf(gvk)}" in scheme`);
}

export function wrongFieldType(gvk: GroupVersionKind, err: FieldTypeError): StatusError {
  const message = `${gvk.kind} in version "${gvk.version}" cannot be handled as a ${gvk.kind}: ${err.message}`;
  return new StatusError({
    code: 400,
    reason: 'BadRequest',
    message,
    details: err.field ? { kind: gvk.kind, group: gvk.group, causes: [{ reason: 'FieldValueTypeInvalid', message: err.message, field: err.field }] } : undefined,
  });
}

/** Long bodies are cut in error messages, as kube cuts them. */
function abbreviate(body: string): string {
  return body.length > 200 ? `${body.slice(0, 200)}...` : body;
}
