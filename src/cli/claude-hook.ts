// `hook claude-code`: one Claude Code PreToolUse payload in, one hook decision
// out. The call is decided by the session's gate when the agent runs under
// `wrap`/`learn`/the extension, else locally against the policy found for the
// payload's cwd (and recorded in the shared audit log).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CLAUDE_CODE_AGENT, ClaudeCodePayloadError, mapClaudeCodeHookPayload, type ClaudeCodeHookPayload } from '../core/agents/claude-code';
import { AuditWriter } from '../core/audit/index';
import { auditEventFor, checkWithGate, ENV, evaluateFollowingLinks, type FailBehaviour } from '../core/gate/index';
import { loadPolicy, PolicyError, shippedPolicyPath } from '../core/policy/index';
import type { Action, GateMode } from '../core/types';
import { prepareAuditDir } from './audit-dirs';
import { fsReason, UserError } from './errors';

export type HookPayload = ClaudeCodeHookPayload;

export interface HookOutput {
  hookSpecificOutput: {
    hookEventName: 'PreToolUse';
    permissionDecision?: 'allow' | 'deny' | 'ask';
    permissionDecisionReason: string;
  };
}

/** Line and column (1-based) of a character offset. */
function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

/**
 * Where JSON.parse fails, for messages that do not say: the shortest prefix
 * whose error is not "input ended early" ends at the offending character.
 */
function errorOffset(text: string): number {
  const endsEarly = (n: number): boolean => {
    try {
      JSON.parse(text.slice(0, n));
      return true;
    } catch (e) {
      const m = (e as Error).message;
      const at = /at position (\d+)/.exec(m);
      return /end of JSON input|Unterminated string/.test(m) || (at !== null && Number(at[1]) >= n);
    }
  };
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (endsEarly(mid + 1)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** JSON.parse with a `source:line:col: invalid <what>: …` UserError. */
export function parseJsonLocated(text: string, source: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /at position (\d+)/.exec(msg);
    const at = pos ? Number(pos[1]) : errorOffset(text);
    throw new UserError(`${source}:${lineCol(text, at)}: invalid ${what}: ${msg.split('\n')[0]}`);
  }
}

/** Parses and validates a payload; the mapping itself is the core's (`mapClaudeCodeHookPayload`). */
export function parseHookPayload(text: string, source = '<stdin>'): HookPayload {
  const value = parseJsonLocated(text, source, 'hook payload');
  try {
    mapClaudeCodeHookPayload(value);
    // The core reads a field of another type as absent; here that would skip the call
    // (an event name that is not PreToolUse), pick another policy (cwd) or log a non-string session.
    for (const key of ['hook_event_name', 'cwd', 'session_id']) {
      const field = (value as Record<string, unknown>)[key];
      if (field !== undefined && typeof field !== 'string') throw new UserError(`${source}:1:1: hook payload "${key}" is not a string`);
    }
  } catch (err) {
    if (err instanceof ClaudeCodePayloadError) throw new UserError(`${source}:1:1: ${err.message}`);
    throw err;
  }
  return value as HookPayload;
}

/** ./rampart.yaml in the call's directory or the nearest parent, else the shipped standard policy. */
export function policyForCwd(cwd: string | undefined): string {
  if (cwd) {
    for (let dir = resolve(cwd); ; dir = dirname(dir)) {
      const candidate = join(dir, 'rampart.yaml');
      if (existsSync(candidate)) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  return shippedPolicyPath('standard');
}

interface Outcome {
  action: Action;
  mode: GateMode;
  run: boolean;
  message: string;
  policy: string | null;
  approval?: 'approved' | 'refused' | 'none';
}

/** The hook's answer. Monitor mode never grants or blocks: Claude Code's own permissions apply. */
export function hookOutput(o: Outcome): HookOutput {
  const what = `${o.action}${o.policy ? ` by ${o.policy}` : ''}${o.message ? `: ${o.message}` : ''}`;
  const out = (permissionDecision: 'allow' | 'deny' | 'ask' | undefined, reason: string): HookOutput => ({
    hookSpecificOutput: { hookEventName: 'PreToolUse', ...(permissionDecision ? { permissionDecision } : {}), permissionDecisionReason: reason },
  });
  if (o.mode === 'monitor') return out(undefined, `rampart (monitor, not enforced): ${what}`);
  // An ask that no approver saw goes to Claude Code's own prompt.
  if (o.action === 'ask' && o.approval !== 'approved' && o.approval !== 'refused') return out('ask', `rampart: ${what}`);
  // No rule allowed it, only default_action: Claude Code's own permissions decide, as they would without
  // Rampart. An `allow` here would skip Claude Code's prompt for every call the policy does not name.
  if (o.run && o.policy === null && o.approval !== 'approved') return out(undefined, `rampart: ${o.message || 'no rule matched'}; Claude Code's own permissions apply`);
  return out(o.run ? 'allow' : 'deny', `rampart: ${what}`);
}

const inSession = (env: NodeJS.ProcessEnv): boolean => Boolean(env[ENV.gate] && env[ENV.tokenFile]);

/** The mode a call is decided in: the session gate's (RAMPART_MODE) inside a session, else the hook's --mode. */
export function hookMode(env: NodeJS.ProcessEnv, localMode: GateMode): GateMode {
  if (!inSession(env)) return localMode;
  return env[ENV.mode] === 'monitor' ? 'monitor' : 'enforce';
}

/** RAMPART_GATE_FAIL when set, else the mode's default: enforce fails closed, monitor open (as in the shim). */
function gateFailBehaviour(env: NodeJS.ProcessEnv, mode: GateMode): { fail: FailBehaviour; how: string } {
  const setting = env[ENV.failBehaviour];
  if (setting === 'open' || setting === 'closed') return { fail: setting, how: `failing ${setting} (${ENV.failBehaviour}=${setting})` };
  const fail = mode === 'monitor' ? 'open' : 'closed';
  return { fail, how: `${mode} mode fails ${fail}` };
}

export interface HookFailure {
  /** 2 blocks the call: Claude Code treats any other non-zero code as a non-blocking error and runs it. */
  exitCode: 1 | 2;
  /** One line for stderr, which Claude Code shows (to the model on exit 2, to the user otherwise). */
  message: string;
}

/**
 * What the hook does when it cannot decide a call (malformed payload, broken
 * policy, unusable audit directory, a bug). Enforce mode always blocks: a deny
 * the policy would give must not pass because something else went wrong, so
 * RAMPART_GATE_FAIL=open (which is about reaching a gate) does not apply.
 * Monitor mode blocks nothing by design: RAMPART_GATE_FAIL decides, open by default.
 */
export function hookFailure(err: unknown, env: NodeJS.ProcessEnv, mode: GateMode): HookFailure {
  const what = (err instanceof UserError ? err.message : `internal error: ${(err as Error)?.message ?? String(err)}`).split('\n')[0];
  const { fail, how } = mode === 'enforce' ? { fail: 'closed', how: 'enforce mode fails closed' } : gateFailBehaviour(env, mode);
  if (fail === 'closed') return { exitCode: 2, message: `rampart-learn: ${what}; ${how}: the call is blocked` };
  return { exitCode: 1, message: `rampart-learn: ${what}; ${how}: the call goes ahead unrecorded` };
}

export interface HookOptions {
  env?: NodeJS.ProcessEnv;
  policy?: string;
  auditDir: string;
  mode: GateMode;
}

/** Decides one payload: through the session's gate when there is one, else locally. */
export async function decideHookPayload(payload: HookPayload, opts: HookOptions): Promise<HookOutput> {
  const call = mapClaudeCodeHookPayload(payload);
  const env = opts.env ?? process.env;
  if (inSession(env)) {
    try {
      const r = await checkWithGate(env[ENV.gate]!, env[ENV.tokenFile]!, call, env[ENV.session]);
      return hookOutput({ action: r.action, mode: r.mode, run: r.run, message: r.message, policy: r.policy, approval: r.approval });
    } catch (err) {
      const why = `gate unreachable (${(err as Error).message})`;
      const { fail, how } = gateFailBehaviour(env, hookMode(env, opts.mode));
      // Failing open gives no decision: Claude Code's own permissions apply.
      const permission = fail === 'closed' ? { permissionDecision: 'deny' as const } : {};
      return { hookSpecificOutput: { hookEventName: 'PreToolUse', ...permission, permissionDecisionReason: `rampart: ${why}; ${how}` } };
    }
  }
  const policyPath = opts.policy ?? policyForCwd(payload.cwd);
  let decision;
  try {
    decision = evaluateFollowingLinks(loadPolicy(policyPath), call);
  } catch (err) {
    if (err instanceof PolicyError) throw new UserError(err.message);
    throw err;
  }
  prepareAuditDir(opts.auditDir);
  try {
    const writer = AuditWriter.open(opts.auditDir, { shared: true });
    try {
      writer.append(auditEventFor(call, decision, opts.mode, { agent: CLAUDE_CODE_AGENT, session: payload.session_id ?? 'claude-code' }));
    } finally {
      writer.close();
    }
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ? `audit log ${opts.auditDir}: ${fsReason(err)}` : (err as Error).message;
    throw new UserError(`cannot record the call: ${reason}`);
  }
  const run = opts.mode === 'monitor' || decision.action === 'allow' || decision.action === 'watch';
  return hookOutput({ action: decision.action, mode: opts.mode, run, message: decision.message, policy: decision.policy });
}
