/**
 * Who the core cluster takes a client to be: what a SelfSubjectReview answers,
 * or, from a cluster that does not serve those, the common name of the client
 * certificate the client presents.
 */
import { X509Certificate } from 'node:crypto';
import { subjectNames } from '../../auth/client-certificate';
import type { ClientConfig } from '../../client/client-config';
import type { RESTClient } from '../../client/rest-client';

const SELF_SUBJECT_REVIEWS_PATH = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
const LOOKUP_TIMEOUT_MS = 5_000;

interface SelfSubjectReviewAnswer {
  status?: { userInfo?: { username?: string } };
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
  return config.clientCertPem ? subjectNames(new X509Certificate(config.clientCertPem)).commonName : undefined;
}
