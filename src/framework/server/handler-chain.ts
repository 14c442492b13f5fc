/**
 * The filter chain, top-down, in one place (k8s.io/apiserver's DefaultBuildHandlerChain):
 * turn batching → request info → observation (metrics, log) → error recovery → in-flight limit →
 * authentication → audit → impersonation → authorization → timeout → routes. Admission runs inside the
 * mutating handlers.
 */
import compose from 'koa-compose';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator';
import type { Authorizer } from '../auth/authorizer';
import type { ApiState } from '../endpoints/scope';
import type { ServerMetrics } from './metrics';
import { auditFailedAuthentication, withAudit, type AuditOptions } from './filters/with-audit';
import { withAuthentication } from './filters/with-authentication';
import { withAuthorization } from './filters/with-authorization';
import { withImpersonation } from './filters/with-impersonation';
import { withMaxInFlight } from './filters/with-max-in-flight';
import { withPanicRecovery } from './filters/with-panic-recovery';
import { withRequestInfo } from './filters/with-request-info';
import { withRequestObservation } from './filters/with-request-observation';
import { withTimeout } from './filters/with-timeout';
import { withTurnBatching } from './filters/with-turn-batching';

export interface HandlerChainOptions {
  logger: Logger;
  metrics: ServerMetrics;
  authenticator: Authenticator;
  anonymousAuth: boolean;
  authorizer: Authorizer;
  /** Absent: nothing is audited. */
  audit?: AuditOptions;
  maxRequestsInFlight: number;
  maxMutatingRequestsInFlight: number;
  requestTimeoutMs: number;
}

/** Filters that have nothing to do in this configuration are left out of the chain, not run as no-ops. */
export function buildHandlerChain(handler: Middleware<ApiState>, o: HandlerChainOptions): Middleware<ApiState> {
  const filters: Middleware<ApiState>[] = [
    withTurnBatching(),
    withRequestInfo(),
    withRequestObservation(o.metrics, o.logger),
    withPanicRecovery(o.logger) as Middleware<ApiState>,
    withMaxInFlight({ maxReadOnly: o.maxRequestsInFlight, maxMutating: o.maxMutatingRequestsInFlight }, o.metrics.inflight),
    withAuthentication(o.authenticator, { anonymous: o.anonymousAuth, onRefused: auditFailedAuthentication(o.audit) }),
  ];
  if (o.audit) filters.push(withAudit(o.audit));
  filters.push(withImpersonation(o.authorizer), withAuthorization(o.authorizer, { recordDecisions: o.audit !== undefined }));
  if (o.requestTimeoutMs > 0) filters.push(withTimeout(o.requestTimeoutMs));
  return compose<Parameters<Middleware<ApiState>>[0]>([...filters, handler]);
}
