// A read or write reached through a symbolic link is also judged as the file
// the link leads to: with `src/keys` → `~/.ssh/id_rsa`, reading `src/keys` is a
// credential read, whatever the path rules say of `src/**`. The stricter of the
// two decisions wins. Commands are not followed: their paths are text (see
// docs/shipped-policies.md, Known limits).
import { realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { normalizePath } from '../glob/path';
import { ACTION_RANK, evaluate, type PolicySet } from '../policy/index';
import type { Decision, ToolCall } from '../types';

/** Path components walked up to find one that exists. */
const MAX_MISSING = 64;

/**
 * Where an absolute or cwd-relative path leads once symbolic links are
 * resolved, or null when that is the path itself or cannot be told. A file
 * that does not exist yet (a write) is placed in its nearest existing folder.
 */
export function linkTarget(path: string, cwd?: string): string | null {
  const abs = normalizePath(path, { cwd });
  if (!abs.startsWith('/')) return null;
  let dir = abs;
  const missing: string[] = [];
  for (let i = 0; i < MAX_MISSING && dir !== '/'; i++) {
    try {
      const real = join(realpathSync(dir), ...missing);
      return real === abs ? null : real;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return null;
      missing.unshift(basename(dir));
      dir = dirname(dir);
    }
  }
  return null;
}

/** The policy's decision on a call, made stricter when its path leads through a link somewhere the policy treats more strictly. */
export function evaluateFollowingLinks(set: PolicySet, call: ToolCall): Decision {
  const decision = evaluate(set, call);
  const path = call.params?.path;
  if (typeof path !== 'string' || decision.action === 'deny') return decision;
  const target = linkTarget(path, call.cwd);
  if (!target) return decision;
  const viaLink = evaluate(set, { ...call, params: { ...call.params, path: target } });
  if (ACTION_RANK[viaLink.action] <= ACTION_RANK[decision.action]) return decision;
  return { ...viaLink, message: `${viaLink.message || `${viaLink.action} by ${viaLink.policy ?? 'the default action'}`} (${path} leads to ${target})` };
}
