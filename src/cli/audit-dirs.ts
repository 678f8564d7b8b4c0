import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensurePrivateDir } from '../core/audit/index';
import { fsReason, UserError } from './errors';

/** Where `wrap` and `hook` keep their audit logs unless told otherwise. */
export function defaultAuditDir(): string {
  return process.env.RAMPART_AUDIT_DIR || join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'rampart-learn', 'audit');
}

/**
 * Creates the audit directory (private) before anything runs, so a path that
 * cannot be one (a file, a path under a file, no permission) is a one-line
 * error rather than a crash halfway through starting the gate or a hook.
 */
export function prepareAuditDir(dir: string): void {
  try {
    ensurePrivateDir(dir);
  } catch (err) {
    // mkdir answers EEXIST when a file holds the name: to the user, that path is not a directory.
    const { code, path } = err as NodeJS.ErrnoException;
    const reason = code === 'EEXIST' ? 'not a directory' : fsReason(err);
    // The folder that refused may be a parent: name it.
    const where = path && resolve(path) !== resolve(dir) ? `cannot create ${path}: ` : '';
    throw new UserError(`audit directory ${dir}: ${where}${reason}`);
  }
}
