/**
 * Who the core cluster takes a client to be: what a SelfSubjectReview answers,
 * or, from a cluster that does not serve those, what the credentials say: the
 * common name of a client certificate, or the subject of a service account
 * token (a JWT whose `sub` is `system:serviceaccount:<namespace>:<name>`).
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { subjectNames } from '../../auth/client-certificate';
import type { ClientConfig } from '../../client/client-config';
import type { RESTClient } from '../../client/rest-client';

const SELF_SUBJECT_REVIEWS_PATH = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
const LOOKUP_TIMEOUT_MS = 5_000;

interface SelfSubjectReviewAnswer {
  status?: { userInfo?: { username?: string } };
}

/** The `sub` claim of a JWT, read without verifying it (only to name the user in a message). */
function jwtSubject(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown };
    return typeof claims.sub === 'string' ? claims.sub : undefined;
  } catch {
    return undefined;
  }
}

/** The user name, or undefined when neither the cluster nor the credentials tell. */
export async function coreClusterUsername(rest: RESTClient, config: ClientConfig): Promise<string | undefined> {
  try {
    const review = await rest.request<SelfSubjectReviewAnswer>(SELF_SUBJECT_REVIEWS_PATH, {
      method: 'POST',
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS),
    });
    if (review.status?.userInfo?.username) return review.status.userInfo.username;
  } catch {
    // Not served or not allowed: the credentials may still tell.
  }
  if (config.clientCertPem) return subjectNames(new X509Certificate(config.clientCertPem)).commonName;
  const token = config.tokenFile ? await readFile(config.tokenFile, 'utf8').catch(() => undefined) : config.token;
  return token ? jwtSubject(token.trim()) : undefined;
}
