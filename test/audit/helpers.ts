import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditWriter, type AuditWriterOptions, type NewAuditEvent } from '../../src/core/audit';

export const tempDir = (prefix = 'rl-audit-'): string => mkdtempSync(join(tmpdir(), prefix));

export function execEvent(command: string, session = 's1'): NewAuditEvent {
  return {
    agent: 'test',
    session,
    tool: 'exec',
    cwd: '/work',
    request: { command },
    decision: { action: 'allow', policy: null, rule: null, message: '', eval_us: 3, enforced: false, mode: 'monitor' },
  };
}

/** A log of `n` exec events written by the real writer. */
export function writeLog(n: number, opts: AuditWriterOptions = {}): { dir: string; file: string } {
  const dir = join(tempDir(), 'audit');
  const w = AuditWriter.open(dir, opts);
  for (let i = 0; i < n; i++) w.append(execEvent(`echo ${i}`));
  w.close();
  return { dir, file: join(dir, 'audit.jsonl') };
}

/** The non-empty lines of a file. */
export const lines = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter(Boolean);
