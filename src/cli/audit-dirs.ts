import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where `wrap` and `hook` keep their audit logs unless told otherwise. */
export function defaultAuditDir(): string {
  return process.env.RAMPART_AUDIT_DIR || join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'rampart-learn', 'audit');
}
