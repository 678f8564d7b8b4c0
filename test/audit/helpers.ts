import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewAuditEvent } from '../../src/core/audit';

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
