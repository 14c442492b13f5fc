/**
 * Request bodies to typed objects: the content type picks the decoder, the
 * scheme checks apiVersion/kind against the endpoint, and fieldValidation decides
 * what unknown or duplicate fields do (kube's default is Warn).
 */
import { newBadRequest, newUnsupportedMediaType } from '../api/status';
import type { DecodeResult, GroupVersionKind, KubeObject } from '../runtime';
import { decodeKubeProtobuf, KUBE_PROTOBUF_MEDIA_TYPE } from '../runtime/protobuf';
import type { RequestContext } from '../registry/context';
import { readBody } from './body';
import { mediaTypeOf } from './negotiation';
import type { FieldValidation } from './query-options';
import type { ApiContext, RequestScope } from './scope';

const BODY_TYPES = ['application/json', 'application/yaml', KUBE_PROTOBUF_MEDIA_TYPE];

/** Unknown and duplicate fields, as kube-apiserver words them (no leading dot). */
function fieldProblems(result: DecodeResult): string[] {
  const strip = (p: string) => p.replace(/^\./, '');
  return [
    ...result.unknownFields.map((p) => `unknown field ${JSON.stringify(strip(p))}`),
    ...result.duplicateFields.map((p) => `duplicate field ${JSON.stringify(strip(p))}`),
  ];
}

/** Applies fieldValidation to a decode result: Strict refuses, Warn reports, Ignore drops. */
export function checkFields(result: DecodeResult, mode: FieldValidation, ctx: RequestContext): KubeObject {
  const problems = fieldProblems(result);
  if (problems.length === 0 || mode === 'Ignore') return result.object;
  if (mode === 'Strict') {
    const { kind, version } = result.gvk;
    throw newBadRequest(`${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: strict decoding error: ${problems.join(', ')}`);
  }
  ctx.warnings.push(...problems);
  return result.object;
}

/** Decodes already-parsed JSON (a patched object) as the kind expected, by default this scope's version. */
export function decodeJSONValue(
  value: unknown,
  scope: RequestScope,
  mode: FieldValidation,
  ctx: RequestContext,
  expected: GroupVersionKind = scope.resource.gvk,
): KubeObject {
  const result = scope.scheme.decode(JSON.stringify(value), { mediaType: 'application/json', expected });
  return checkFields(result, mode, ctx);
}

/** Reads and decodes the body of a create or update as the kind expected, by default this scope's version. */
export async function decodeRequestObject(
  ctx: ApiContext,
  scope: RequestScope,
  mode: FieldValidation,
  rctx: RequestContext,
  expected: GroupVersionKind = scope.resource.gvk,
): Promise<KubeObject> {
  const body = await readBody(ctx.req, scope.maxRequestBodyBytes);
  const mediaType = mediaTypeOf(ctx.get('content-type')) || 'application/json';
  let data: Buffer | string = body;
  let decodeAs: 'application/json' | 'application/yaml';
  switch (mediaType) {
    case 'application/json':
    case 'application/yaml':
      decodeAs = mediaType;
      break;
    case KUBE_PROTOBUF_MEDIA_TYPE:
      data = JSON.stringify(decodeKubeProtobuf(body).object);
      decodeAs = 'application/json';
      break;
    default:
      throw newUnsupportedMediaType(BODY_TYPES);
  }
  if (body.length === 0) throw newBadRequest('the request body is empty');
  return checkFields(scope.scheme.decode(data, { mediaType: decodeAs, expected }), mode, rctx);
}
