export { AUDIT_LEVELS, AUDIT_STAGES, evaluateAuditPolicy, METADATA_POLICY, parseAuditPolicy, readAuditPolicyFile } from './policy';
export type { AuditDecision, AuditLevel, AuditPolicy, AuditPolicyRule, AuditStage, GroupResources } from './policy';
export { microTimestamp } from './event';
export type { AuditEvent, AuditObjectReference, AuditResponseStatus, AuditSink, AuditUser } from './event';
export { AuditLogFile, type AuditLogFileOptions } from './log-file';
export { auditFromOptions } from './from-options';
export type { AuditOptions } from '../filters/with-audit';
