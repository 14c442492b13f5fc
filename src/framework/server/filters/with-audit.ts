/**
 * Writes the audit events of each request the policy selects: RequestReceived
 * when it arrives, ResponseStarted when a watch starts streaming,
 * ResponseComplete when it ends (Panic for an unexpected error). Metadata level
 * records who did what to which object and the outcome, never a body; Request
 * adds the request body, RequestResponse the response body too. Headers
 * (credentials included) are never recorded.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ParameterizedContext, Middleware } from 'koa';
import { isStatusError } from '../../api/status';
import { requestAttributes } from '../../auth/authorizer';
import { observeRequestBody } from '../../endpoints/body';
import type { ApiState } from '../../endpoints/scope';
import type { UserInfo } from '../../registry/context';
import { parseJSON, parseYAML } from '../../runtime/parse';
import { microTimestamp, type AuditEvent, type AuditResponseStatus, type AuditSink, type AuditUser } from '../audit/event';
import { evaluateAuditPolicy, type AuditDecision, type AuditPolicy, type AuditStage } from '../audit/policy';
import { isLongRunning } from './long-running';

export interface AuditOptions {
  policy: AuditPolicy;
  sink: AuditSink;
}

type Context = ParameterizedContext<ApiState>;

const annotationsByRequest = new WeakMap<IncomingMessage, Record<string, string>>();

/** Adds an annotation to the audit events of a request still to be written (e.g. the authorization decision). */
export function addAuditAnnotation(req: IncomingMessage, key: string, value: string): void {
  annotationsByRequest.set(req, { ...annotationsByRequest.get(req), [key]: value });
}

function auditUser(user: UserInfo | undefined): AuditUser {
  if (!user) return { username: '' };
  return { username: user.username, uid: user.uid, groups: user.groups, extra: user.extra };
}

/**
 * A body as data: JSON (every JSON patch type too) or YAML, parsed with the
 * request decoders' limits; other media types are not recorded.
 */
function bodyAsData(body: unknown, contentType: string): unknown {
  if (body === undefined || body === null) return undefined;
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) return typeof body === 'object' ? body : undefined;
  if (body.length === 0) return undefined;
  try {
    if (/json/.test(contentType)) return parseJSON(body.toString()).value;
    if (/yaml/.test(contentType)) return parseYAML(body.toString()).value;
  } catch {
    // Malformed or hostile bodies are refused by the handler; the event just goes without.
  }
  return undefined;
}

function baseEvent(ctx: Context, decision: AuditDecision, auditID: string, received: string): Omit<AuditEvent, 'stage' | 'stageTimestamp'> {
  const info = ctx.state.requestInfo;
  const event: Omit<AuditEvent, 'stage' | 'stageTimestamp'> = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: decision.level as AuditEvent['level'],
    auditID,
    requestURI: ctx.url,
    verb: info.verb,
    user: auditUser(ctx.state.user),
    sourceIPs: [ctx.req.socket.remoteAddress ?? ''],
    userAgent: ctx.get('user-agent') || undefined,
    requestReceivedTimestamp: received,
  };
  if (info.isResourceRequest) {
    event.objectRef = {
      resource: info.resource,
      namespace: info.namespace || undefined,
      name: info.name || undefined,
      apiGroup: info.apiGroup || undefined,
      apiVersion: info.apiVersion,
      subresource: info.subresource || undefined,
    };
  }
  return event;
}

function statusOf(err: unknown): AuditResponseStatus {
  if (isStatusError(err)) {
    const { code, status, message, reason } = err.status;
    return { metadata: {}, code, status, message, reason };
  }
  return { metadata: {}, code: 500, status: 'Failure', reason: 'InternalError' };
}

/** Logs requests refused by authentication (they never reach withAudit), as kube-apiserver does. */
export function auditFailedAuthentication(audit: AuditOptions | undefined): ((ctx: Context) => void) | undefined {
  if (!audit) return undefined;
  return (ctx) => {
    const decision = evaluateAuditPolicy(audit.policy, requestAttributes({ username: '', groups: [] }, ctx.state.requestInfo));
    if (decision.level === 'None' || decision.omitStages.has('ResponseStarted')) return;
    const now = microTimestamp();
    const responseStatus: AuditResponseStatus = { metadata: {}, code: 401, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized' };
    audit.sink.write({ ...baseEvent(ctx, decision, randomUUID(), now), stage: 'ResponseStarted', stageTimestamp: now, responseStatus });
  };
}

export function withAudit(audit: AuditOptions): Middleware<ApiState> {
  return async (ctx, next) => {
    const user = ctx.state.user;
    if (!user) return next();
    const decision = evaluateAuditPolicy(audit.policy, requestAttributes(user, ctx.state.requestInfo));
    if (decision.level === 'None') return next();
    const auditID = ctx.get('audit-id') || randomUUID();
    ctx.set('Audit-ID', auditID);
    const base = baseEvent(ctx, decision, auditID, microTimestamp());
    const emit = (stage: AuditStage, extra: Partial<AuditEvent> = {}) => {
      if (decision.omitStages.has(stage)) return;
      // Impersonation happens after this filter: the final user is who the request ran as.
      const impersonated = ctx.state.user !== user ? { impersonatedUser: auditUser(ctx.state.user) } : {};
      const annotations = annotationsByRequest.get(ctx.req);
      audit.sink.write({ ...base, ...impersonated, ...extra, stage, stageTimestamp: microTimestamp(), ...(annotations ? { annotations } : {}) });
    };
    emit('RequestReceived');

    let requestObject: unknown;
    const recordsBodies = decision.level === 'Request' || decision.level === 'RequestResponse';
    const unnamed = base.objectRef !== undefined && base.objectRef.name === undefined && ctx.state.requestInfo.verb === 'create';
    if (recordsBodies || unnamed) {
      observeRequestBody(ctx.req, (body) => {
        const parsed = bodyAsData(body, ctx.get('content-type'));
        // A create names its object in the body; the reference says which, at every level.
        const name = (parsed as { metadata?: { name?: unknown } } | undefined)?.metadata?.name;
        if (unnamed && typeof name === 'string') base.objectRef!.name = name;
        if (recordsBodies) requestObject = parsed;
      });
    }
    if (isLongRunning(ctx.state.requestInfo)) {
      const writeHead = ctx.res.writeHead;
      ctx.res.writeHead = function (this: typeof ctx.res, ...args: Parameters<typeof writeHead>) {
        ctx.res.writeHead = writeHead;
        emit('ResponseStarted', { responseStatus: { metadata: {}, code: args[0] }, requestObject });
        return writeHead.apply(this, args);
      } as typeof writeHead;
    }
    try {
      await next();
    } catch (err) {
      emit(isStatusError(err) ? 'ResponseComplete' : 'Panic', { responseStatus: statusOf(err), requestObject });
      throw err;
    }
    const code = ctx.respond === false ? ctx.res.statusCode : ctx.status;
    const responseObject = decision.level === 'RequestResponse' ? bodyAsData(ctx.body, String(ctx.response.get('content-type'))) : undefined;
    emit('ResponseComplete', { responseStatus: { metadata: {}, code }, requestObject, responseObject });
  };
}
