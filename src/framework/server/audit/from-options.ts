/** From the --audit-* flags to the audit policy and log file; nothing without --audit-log-path. */
import type { Logger } from 'pino';
import type { AuditOptions } from '../filters/with-audit';
import type { ServerRunOptions } from '../options';
import { AuditLogFile } from './log-file';
import { METADATA_POLICY, readAuditPolicyFile } from './policy';

export function auditFromOptions(options: ServerRunOptions, logger: Logger): AuditOptions | undefined {
  if (!options.auditLogPath) return undefined;
  const policy = options.auditPolicyFile ? readAuditPolicyFile(options.auditPolicyFile) : METADATA_POLICY;
  const sink = new AuditLogFile({
    path: options.auditLogPath,
    maxSizeMB: options.auditLogMaxSize,
    maxBackups: options.auditLogMaxBackup,
    maxAgeDays: options.auditLogMaxAge,
    onError: (err) => logger.error({ err }, 'writing the audit log failed'),
  });
  return { policy, sink };
}
