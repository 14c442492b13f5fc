import assert from 'node:assert/strict';
import { mkdtempSync, openSync, readFileSync, rmSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditLogFile, type AuditEvent } from '../../../../src/framework/server/audit';

function event(auditID: string): AuditEvent {
  const now = '2026-01-01T00:00:00.000000Z';
  return { kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID, stage: 'ResponseComplete', requestURI: '/api', verb: 'get', user: { username: 'u' }, sourceIPs: [], requestReceivedTimestamp: now, stageTimestamp: now };
}

describe('server/audit AuditLogFile', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'audit-log-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('drops events written after close, leaving the file, and whatever now holds its descriptor, untouched', () => {
    const logPath = path.join(dir, 'audit.log');
    const errors: Error[] = [];
    const log = new AuditLogFile({ path: logPath, maxSizeMB: 0, maxBackups: 0, maxAgeDays: 0, onError: (err) => errors.push(err) });
    log.write(event('before-close'));
    log.close();
    // The descriptor number the log had is free again: the next file opened gets it.
    const otherPath = path.join(dir, 'other');
    const other = openSync(otherPath, 'w');
    try {
      log.write(event('after-close'));
      log.close();
    } finally {
      closeSync(other);
    }
    const ids = readFileSync(logPath, 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as AuditEvent).auditID);
    assert.deepEqual(ids, ['before-close']);
    assert.equal(readFileSync(otherPath, 'utf8'), '', 'nothing was written through a reused descriptor');
    assert.deepEqual(errors, []);
  });
});
