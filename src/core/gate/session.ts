// One agent session of a gate: its policy, mode, approver, audit log and
// counters. A gate serves any number of these at once (one per agent
// terminal in VS Code, one for `learn`/`wrap`); requests name theirs.
import { EventEmitter } from 'node:events';
import { ulid } from 'ulid';
import { AuditWriter, type CompletionRecord } from '../audit/index';
import type { PolicySet } from '../policy/index';
import type { Approval, AuditEvent, Decision, GateMode, ToolCall } from '../types';
import { sessionEnv as buildSessionEnv, type FailBehaviour } from './env';
import { auditEventFor } from './event';
import { evaluateFollowingLinks } from './linked-paths';
import { HttpError } from './http';
import { PolicySource } from './policy-source';

/** The answer to a question whose asker has gone: the call did not run, whatever is answered later. */
const GONE = { unavailable: 'withdrawn: the shell that asked has exited' };
/** The note on a call decided after its asker had stopped waiting: the verdict never reached it. */
const UNDELIVERED = 'not delivered: the shell that asked had already given up waiting';

export interface ApprovalRequest {
  call: ToolCall;
  decision: Decision;
  /** Aborted when the asker has gone (its shell was killed): the question can be withdrawn. */
  signal?: AbortSignal;
}
/**
 * Decides an `ask` in enforce mode: resolve true to let the call run, false to refuse it, or
 * `{ unavailable }` when nobody could be asked (the call is refused, and recorded as unanswered).
 */
export type Approver = (request: ApprovalRequest) => Promise<boolean | { unavailable: string }>;

export interface SessionOptions {
  /** Policy file or directory; reloaded when it changes. */
  policy: string;
  mode: GateMode;
  /** This session's own audit log directory (two open sessions may not share one). */
  auditDir: string;
  approver?: Approver;
  /** Agent name recorded for shim calls that do not name one. */
  agent?: string;
  /** Session id; a new ULID when not given. */
  id?: string;
  maxAuditFileBytes?: number;
  /** Watch the policy for changes (default true). */
  watchPolicy?: boolean;
  /** What the shim does when it cannot reach the gate; put into `sessionEnv` (default: the mode's). */
  failBehaviour?: FailBehaviour;
}

export interface GateVerdict {
  event: AuditEvent;
  /** Whether the call may run (always true in monitor mode). */
  run: boolean;
  /** One line for the agent: why it was blocked, or the policy's message. */
  message: string;
  /** For `ask` in enforce mode: what the approver said, or `none` when no approver is attached. */
  approval?: Approval;
}

export interface GateStats {
  evaluated: number;
  allowed: number;
  denied: number;
  asked: number;
  watched: number;
}

export interface GateSession {
  readonly id: string;
  readonly mode: GateMode;
  readonly auditDir: string;
  readonly policy: PolicySet;
  readonly stats: GateStats;
  /** True once `close()` was called: new calls are refused (410). */
  readonly closed: boolean;
  /** Variables to merge over an agent's environment (see `sessionEnv` in env.ts). */
  sessionEnv(opts?: { agent?: string; baseEnv?: NodeJS.ProcessEnv }): Record<string, string>;
  /** Decides a call in-process, exactly as an HTTP request naming this session would. */
  /**
   * `signal`: aborted when the asker has gone. An ask still waiting for its answer is then withdrawn, and a call
   * decided after it is recorded as not delivered.
   */
  decide(call: ToolCall, signal?: AbortSignal): Promise<GateVerdict>;
  complete(ref: string, response: CompletionRecord['response']): CompletionRecord;
  onEvent(listener: (event: AuditEvent) => void): () => void;
  onCompletion(listener: (record: CompletionRecord) => void): () => void;
  /** A reload was rejected: the previous policy stays in force. */
  onPolicyError(listener: (err: Error) => void): () => void;
  onPolicyReload(listener: (set: PolicySet) => void): () => void;
  /**
   * Stops the session: pending approvals are refused, calls in flight are
   * finished and recorded, then the audit log and the policy watcher close.
   * The gate and its other sessions go on.
   */
  close(): Promise<void>;
}

/** What a session needs from the gate that serves it. */
export interface SessionHost {
  address: string;
  tokenFile: string;
  approvalTimeoutMs: number;
  /** Called once the session has closed, to forget it. */
  closed(session: GateSession): void;
}

// Issued ids remembered for completion reports; older ones are forgotten.
const MAX_OPEN_IDS = 10_000;

export function openGateSession(opts: SessionOptions, host: SessionHost): GateSession {
  const id = opts.id ?? ulid();
  const policy = new PolicySource(opts.policy, { watch: opts.watchPolicy ?? true });
  let audit: AuditWriter;
  try {
    audit = AuditWriter.open(opts.auditDir, { maxFileBytes: opts.maxAuditFileBytes });
  } catch (err) {
    policy.close();
    throw err;
  }
  const bus = new EventEmitter();
  // The policy source re-emits reload errors; keep the last good set and pass them on.
  policy.on('error', (err: Error) => bus.emit('policy-error', err));
  policy.on('reload', (set: PolicySet) => bus.emit('policy-reload', set));
  const stats: GateStats = { evaluated: 0, allowed: 0, denied: 0, asked: 0, watched: 0 };
  const openIds = new Set<string>();
  const inFlight = new Set<Promise<unknown>>();
  const stopping = new AbortController();
  let closing: Promise<void> | null = null;

  const notify = (name: string, value: unknown): void => {
    for (const listener of bus.listeners(name)) {
      try {
        listener(value);
      } catch {
        // A failing subscriber (UI, telemetry) must not fail the agent's call.
      }
    }
  };
  const subscribe =
    <T>(name: string) =>
    (listener: (v: T) => void) => {
      bus.on(name, listener);
      return () => void bus.off(name, listener);
    };

  /** The approver's answer; false on timeout, on its failure, or when the session stops meanwhile. */
  async function approve(call: ToolCall, decision: Decision, signal?: AbortSignal): Promise<boolean | { unavailable: string }> {
    if (!opts.approver) return { unavailable: 'no approver attached' };
    if (signal?.aborted) return GONE;
    let timer: NodeJS.Timeout | undefined;
    let onStop: (() => void) | undefined;
    let onGone: (() => void) | undefined;
    const refused = new Promise<false | typeof GONE>((res) => {
      timer = setTimeout(() => res(false), host.approvalTimeoutMs);
      onStop = () => res(false);
      onGone = () => res(GONE);
      stopping.signal.addEventListener('abort', onStop, { once: true });
      signal?.addEventListener('abort', onGone, { once: true });
    });
    try {
      return await Promise.race([opts.approver({ call, decision, signal }).catch(() => false), refused]);
    } finally {
      clearTimeout(timer);
      stopping.signal.removeEventListener('abort', onStop!);
      signal?.removeEventListener('abort', onGone!);
    }
  }

  async function decideNow(call: ToolCall, signal?: AbortSignal): Promise<GateVerdict> {
    const decision = evaluateFollowingLinks(policy.current, call);
    let run = true;
    let message = decision.message;
    let approval: GateVerdict['approval'];
    let withdrawn = false;
    if (opts.mode === 'enforce') {
      if (decision.action === 'deny') {
        run = false;
        message ||= `denied by policy ${decision.policy ?? '(default action)'}`;
      } else if (decision.action === 'ask') {
        const answer = await approve(call, decision, signal);
        withdrawn = answer === GONE;
        run = answer === true;
        approval = typeof answer === 'object' ? 'none' : run ? 'approved' : 'refused';
        const how = typeof answer === 'object' ? answer.unavailable : run ? 'approved' : 'not approved';
        message = `${decision.message || 'approval required'} (${how})`;
      }
    }
    // Decided after the asker gave up (a shim past RAMPART_GATE_TIMEOUT): it never gets the verdict, and blocked the
    // call or ran it unchecked, as RAMPART_GATE_FAIL says. The record must not read as a call that got its verdict.
    const delivered = !signal?.aborted;
    if (!delivered && !withdrawn) message = `${message} (${UNDELIVERED})`.trimStart();
    const event = audit.append(auditEventFor(call, { ...decision, message, ...(approval && { approval }) }, opts.mode, { agent: opts.agent ?? 'unknown', session: id }));
    stats.evaluated++;
    if (decision.action === 'allow') stats.allowed++;
    else if (decision.action === 'deny') stats.denied++;
    else if (decision.action === 'ask') stats.asked++;
    else stats.watched++;
    // Only an asker that got the event's id can report how the call ended.
    if (delivered) {
      openIds.add(event.id);
      if (openIds.size > MAX_OPEN_IDS) openIds.delete(openIds.values().next().value as string);
    }
    notify('event', event);
    return { event, run, message, approval };
  }

  const stoppedError = () => new HttpError(410, `session ${id} has been stopped`);

  const session: GateSession = {
    id,
    mode: opts.mode,
    auditDir: opts.auditDir,
    get policy() {
      return policy.current;
    },
    stats,
    get closed() {
      return closing !== null;
    },
    sessionEnv: (o = {}) =>
      buildSessionEnv({
        gate: host.address,
        tokenFile: host.tokenFile,
        session: id,
        mode: opts.mode,
        agent: o.agent ?? opts.agent,
        failBehaviour: opts.failBehaviour,
        baseEnv: o.baseEnv,
      }),
    decide(call, signal) {
      if (closing) return Promise.reject(stoppedError());
      const p = decideNow(call, signal);
      inFlight.add(p);
      const forget = () => void inFlight.delete(p);
      p.then(forget, forget);
      return p;
    },
    complete(ref, response) {
      if (closing) throw stoppedError();
      if (!openIds.delete(ref)) throw new HttpError(404, `no open event ${ref} in session ${id}`);
      const record = audit.complete(ref, id, response);
      notify('completion', record);
      return record;
    },
    onEvent: subscribe<AuditEvent>('event'),
    onCompletion: subscribe<CompletionRecord>('completion'),
    onPolicyError: subscribe<Error>('policy-error'),
    onPolicyReload: subscribe<PolicySet>('policy-reload'),
    close() {
      closing ??= (async () => {
        stopping.abort();
        await Promise.allSettled([...inFlight]);
        policy.close();
        audit.close();
        host.closed(session);
      })();
      return closing;
    },
  };
  return session;
}
