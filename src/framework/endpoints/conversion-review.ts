/**
 * ConversionReview (apiextensions.k8s.io/v1, and v1beta1 of the same shape):
 * what kube-apiserver asks a CRD's conversion webhook, answered by a Scheme.
 * Every object of the request is converted to the desired apiVersion through
 * its hub, in order; the response echoes the request's uid and says Success, or
 * Failure with a message naming the object that could not be converted (and no
 * objects), which kube-apiserver passes on to its client.
 */
import { newBadRequest } from '../api/status';
import { apiVersionOf, parseApiVersion } from '../api/meta';
import type { Scheme } from '../runtime';
import { isRecord } from '../runtime/json-value';

export const CONVERSION_REVIEW_KIND = 'ConversionReview';
/** The request's apiVersion is the response's; kube-apiserver sends the first of the CRD's conversionReviewVersions it knows. */
export const CONVERSION_REVIEW_VERSIONS = ['apiextensions.k8s.io/v1', 'apiextensions.k8s.io/v1beta1'];

export interface ConversionRequest {
  /** Echoed in the response; kube-apiserver checks it. */
  uid: string;
  desiredAPIVersion: string;
  objects: Record<string, unknown>[];
}

/** A meta/v1 Status as ConversionResponse carries it. */
export interface ConversionResult {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
}

export interface ConversionResponse {
  uid: string;
  /** In the order of the request's objects, each in the desired apiVersion; empty on failure. */
  convertedObjects: Record<string, unknown>[];
  result: ConversionResult;
}

export interface ConversionReview {
  apiVersion: string;
  kind: typeof CONVERSION_REVIEW_KIND;
  request?: ConversionRequest;
  response?: ConversionResponse;
}

/** The request part of a ConversionReview body; 400 naming what is missing when it is none (the response part kube-apiserver sends along is ignored). */
export function parseConversionReview(body: unknown): { apiVersion: string; request: ConversionRequest } {
  const bad = (why: string) => newBadRequest(`not a ConversionReview request: ${why}`);
  if (!isRecord(body)) throw bad('the body is not a JSON object');
  const { apiVersion, kind, request } = body;
  if (kind !== CONVERSION_REVIEW_KIND) throw bad(`kind is ${JSON.stringify(kind)}, expected "${CONVERSION_REVIEW_KIND}"`);
  if (typeof apiVersion !== 'string' || !CONVERSION_REVIEW_VERSIONS.includes(apiVersion)) {
    throw bad(`apiVersion ${JSON.stringify(apiVersion)} is none of ${CONVERSION_REVIEW_VERSIONS.join(', ')}`);
  }
  if (!isRecord(request)) throw bad('request is missing');
  const { uid, desiredAPIVersion, objects } = request;
  if (typeof uid !== 'string' || uid === '') throw bad('request.uid is missing');
  if (typeof desiredAPIVersion !== 'string' || desiredAPIVersion === '') throw bad('request.desiredAPIVersion is missing');
  if (!Array.isArray(objects)) throw bad('request.objects is not a list');
  return { apiVersion, request: { uid, desiredAPIVersion, objects: objects as Record<string, unknown>[] } };
}

/** Converts a request's objects; a failure is a Failure result, never a throw. */
export function reviewConversion(scheme: Scheme, apiVersion: string, request: ConversionRequest): ConversionReview {
  const respond = (response: Omit<ConversionResponse, 'uid'>): ConversionReview => ({
    apiVersion,
    kind: CONVERSION_REVIEW_KIND,
    response: { uid: request.uid, ...response },
  });
  const converted: Record<string, unknown>[] = [];
  for (const [index, obj] of request.objects.entries()) {
    try {
      converted.push(convertObject(scheme, obj, request.desiredAPIVersion));
    } catch (err) {
      const message = `${describe(obj, index)}: ${err instanceof Error ? err.message : String(err)}`;
      return respond({ convertedObjects: [], result: { metadata: {}, status: 'Failure', message } });
    }
  }
  return respond({ convertedObjects: converted, result: { metadata: {}, status: 'Success' } });
}

function convertObject(scheme: Scheme, obj: unknown, desiredAPIVersion: string): Record<string, unknown> {
  if (!isRecord(obj) || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') throw new Error('not an object with apiVersion and kind');
  if (obj.apiVersion === desiredAPIVersion) return obj;
  const target = { ...parseApiVersion(desiredAPIVersion), kind: obj.kind };
  if (!scheme.resourceInfoForKind(target)) throw new Error(`cannot convert to ${apiVersionOf(target)}: no ${obj.kind} is served in that version`);
  // No defaulting: kube-apiserver defaults the converted objects itself, from the CRD's schema.
  return scheme.convertPlain(obj, target, { defaults: false });
}

/** `Deployment default/web (objects[0], apps.example.com/v1beta2)` — what an error names. */
function describe(obj: unknown, index: number): string {
  if (!isRecord(obj)) return `objects[${index}]`;
  const meta = isRecord(obj.metadata) ? obj.metadata : {};
  const name = [meta.namespace, meta.name].filter((part) => typeof part === 'string' && part !== '').join('/');
  return `${String(obj.kind ?? 'object')} ${name || '(unnamed)'} (objects[${index}], ${String(obj.apiVersion ?? 'no apiVersion')})`;
}
