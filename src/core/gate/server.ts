import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { chmodSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { AuditWriter, type CompletionRecord } from '../audit/index';
import { evaluate, type PolicySet } from '../policy/index';
import type { AuditEvent, Decision, GateMode, ToolCall } from '../types';
import { sessionEnv as buildSessionEnv } from './env';
import { auditEventFor } from './event';
import { PolicySource } from './policy-source';
import { createGateSession } from './session';

export interface ApprovalRequest {
  call: ToolCall;
  decision: Decision;
}
/** Decides an `ask` in enforce mode: resolve true to let the call run. */
export type Approver = (request: ApprovalRequest) => Promise<boolean>;

export interface GateOptions {
  /** Policy file or directory; reloaded when it changes. */
  policy: string;
  mode: GateMode;
  auditDir: string;
  approver?: Approver;
  /** Agent name recorded for shim calls that do not name one. */
  agent?: string;
  /** TCP on 127.0.0.1 (random port unless given), or a Unix socket path. */
  listen?: { port?: number } | { socket: string };
  /** Requests with a larger body get 413. The default takes a 1 MB command with room to spare. */
  maxBodyBytes?: number;
  /** Idle time before a socket is dropped. */
  socketTimeoutMs?: number;
  /** How long an approver may take before the call is refused. */
  approvalTimeoutMs?: number;
  /** Where the session's token directory is made (default: $XDG_RUNTIME_DIR or the temp dir). */
  runtimeDir?: string;
  maxAuditFileBytes?: number;
  /** Watch the policy for changes (default true). */
  watchPolicy?: boolean;
}

export interface GateVerdict {
  event: AuditEvent;
  /** Whether the call may run (always true in monitor mode). */
  run: boolean;
  /** One line for the agent: why it was blocked, or the policy's message. */
  message: string;
  /** For `ask` in enforce mode: what the approver said, or `none` when no approver is attached. */
  approval?: 'approved' | 'refused' | 'none';
}

export interface GateStats {
  evaluated: number;
  allowed: number;
  denied: number;
  asked: number;
  watched: number;
}

export interface Gate {
  /** `127.0.0.1:PORT` or `unix:/path`. */
  address: string;
  tokenFile: string;
  sessionId: string;
  mode: GateMode;
  auditDir: string;
  readonly policy: PolicySet;
  readonly stats: GateStats;
  /** Variables to merge over an agent's environment (see `sessionEnv` in env.ts). */
  sessionEnv(opts?: { agent?: string; baseEnv?: NodeJS.ProcessEnv }): Record<string, string>;
  /** Decides a call in-process, exactly as an HTTP request would. */
  decide(call: ToolCall): Promise<GateVerdict>;
  complete(ref: string, response: CompletionRecord['response']): CompletionRecord;
  onEvent(listener: (event: AuditEvent) => void): () => void;
  onCompletion(listener: (record: CompletionRecord) => void): () => void;
  /** A reload was rejected: the previous policy stays in force. */
  onPolicyError(listener: (err: Error) => void): () => void;
  onPolicyReload(listener: (set: PolicySet) => void): () => void;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY = 4 * 1024 * 1024;
const VERDICT_PREFIX = 'RAMPART-VERDICT';
// Issued ids remembered for completion reports; older ones are forgotten.
const MAX_OPEN_IDS = 10_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Starts a gate: an HTTP server on 127.0.0.1 or a Unix socket that decides
 * tool calls for one session. Each call is evaluated, appended to the audit
 * log, handed to listeners and answered, in that order.
 */
export async function startGate(opts: GateOptions): Promise<Gate> {
  const policy = new PolicySource(opts.policy, { watch: opts.watchPolicy ?? true });
  const session = createGateSession(opts.runtimeDir);
  const audit = AuditWriter.open(opts.auditDir, { maxFileBytes: opts.maxAuditFileBytes });
  const bus = new EventEmitter();
  // The policy source re-emits reload errors; keep the last good set and pass them on.
  policy.on('error', (err: Error) => bus.emit('policy-error', err));
  policy.on('reload', (set: PolicySet) => bus.emit('policy-reload', set));
  const stats: GateStats = { evaluated: 0, allowed: 0, denied: 0, asked: 0, watched: 0 };
  const openIds = new Set<string>();
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const socketTimeout = opts.socketTimeoutMs ?? 30_000;
  const approvalTimeout = opts.approvalTimeoutMs ?? 5 * 60_000;

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

  async function approve(call: ToolCall, decision: Decision): Promise<boolean> {
    if (!opts.approver) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((res) => (timer = setTimeout(() => res(false), approvalTimeout)));
    try {
      return await Promise.race([opts.approver({ call, decision }).catch(() => false), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function decide(call: ToolCall): Promise<GateVerdict> {
    const decision = evaluate(policy.current, call);
    let run = true;
    let message = decision.message;
    let approval: GateVerdict['approval'];
    if (opts.mode === 'enforce') {
      if (decision.action === 'deny') {
        run = false;
        message ||= `denied by policy ${decision.policy ?? '(default action)'}`;
      } else if (decision.action === 'ask') {
        run = await approve(call, decision);
        approval = opts.approver ? (run ? 'approved' : 'refused') : 'none';
        const how = { approved: 'approved', refused: 'not approved', none: 'no approver attached' }[approval];
        message = `${decision.message || 'approval required'} (${how})`;
      }
    }
    const event = audit.append(auditEventFor(call, { ...decision, message }, opts.mode, { agent: opts.agent ?? 'unknown', session: session.id }));
    stats.evaluated++;
    if (decision.action === 'allow') stats.allowed++;
    else if (decision.action === 'deny') stats.denied++;
    else if (decision.action === 'ask') stats.asked++;
    else stats.watched++;
    openIds.add(event.id);
    if (openIds.size > MAX_OPEN_IDS) openIds.delete(openIds.values().next().value as string);
    notify('event', event);
    return { event, run, message, approval };
  }

  function complete(ref: string, response: CompletionRecord['response']): CompletionRecord {
    if (!openIds.delete(ref)) throw new HttpError(404, `no open event ${ref} in this session`);
    const record = audit.complete(ref, session.id, response);
    notify('completion', record);
    return record;
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      const text = err instanceof Error ? err.message : String(err);
      if (!res.headersSent) reply(res, status, `${text}\n`, status === 413 ? { Connection: 'close' } : {});
      else res.destroy();
      if (status === 413) req.resume(); // drain what the client still sends, so it reads the 413
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  server.setTimeout(socketTimeout);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const auth = req.headers.authorization;
    const presented = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
    if (!session.accepts(presented)) {
      reply(res, 401, 'missing or wrong token\n', { 'WWW-Authenticate': 'Bearer' });
      req.resume();
      return;
    }
    const route = `${req.method} ${(req.url ?? '').split('?')[0]}`;
    if (route === 'GET /v1/status') {
      return json(res, 200, { session: session.id, mode: opts.mode, policy: policy.current.files, stats });
    }
    if (!['POST /v1/shell', 'POST /v1/check', 'POST /v1/complete'].includes(route)) {
      throw new HttpError(404, `no such endpoint: ${route}`);
    }
    const body = await readBody(req, maxBody);
    // Waiting on a human must not count as an idle socket.
    req.socket.setTimeout(approvalTimeout + socketTimeout);
    if (route === 'POST /v1/shell') {
      const verdict = await decide(shellCall(body));
      const line = `${VERDICT_PREFIX} ${verdict.run ? 'run' : 'block'} ${verdict.event.id} ${oneLine(verdict.message)}\n`;
      return reply(res, 200, line);
    }
    const input = parseJson(body);
    if (route === 'POST /v1/check') {
      const verdict = await decide(toolCall(input));
      const { decision, id } = verdict.event;
      return json(res, 200, { id, run: verdict.run, approval: verdict.approval, ...decision });
    }
    const ref = typeof input.id === 'string' ? input.id : '';
    const response: CompletionRecord['response'] = {};
    if (Number.isInteger(input.exit_code)) response.exit_code = input.exit_code as number;
    if (typeof input.duration_ms === 'number' && input.duration_ms >= 0) response.duration_ms = input.duration_ms;
    const record = complete(ref, response);
    return json(res, 200, { id: record.id, ref });
  }

  function shellCall(body: Buffer): ToolCall {
    // Raw body `cwd NUL command`: the command's bytes travel untouched, no escaping.
    const nul = body.indexOf(0);
    const cwd = nul >= 0 ? body.subarray(0, nul).toString('utf8') : '';
    const command = (nul >= 0 ? body.subarray(nul + 1) : body).toString('utf8');
    return cwd ? { tool: 'exec', params: { command }, cwd } : { tool: 'exec', params: { command } };
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    const listen = opts.listen ?? {};
    if ('socket' in listen) {
      rmSync(listen.socket, { force: true });
      server.listen(listen.socket, () => {
        chmodSync(listen.socket, 0o600);
        resolvePromise();
      });
    } else server.listen(listen.port ?? 0, '127.0.0.1', () => resolvePromise());
  });
  const addr = server.address();
  const address = typeof addr === 'string' ? `unix:${addr}` : `127.0.0.1:${(addr as AddressInfo).port}`;

  let closed: Promise<void> | null = null;
  return {
    address,
    tokenFile: session.tokenFile,
    sessionId: session.id,
    mode: opts.mode,
    auditDir: opts.auditDir,
    get policy() {
      return policy.current;
    },
    stats,
    sessionEnv: (o = {}) =>
      buildSessionEnv({ gate: address, tokenFile: session.tokenFile, session: session.id, mode: opts.mode, agent: o.agent ?? opts.agent, baseEnv: o.baseEnv }),
    decide,
    complete,
    onEvent: subscribe<AuditEvent>('event'),
    onCompletion: subscribe<CompletionRecord>('completion'),
    onPolicyError: subscribe<Error>('policy-error'),
    onPolicyReload: subscribe<PolicySet>('policy-reload'),
    close() {
      closed ??= new Promise<void>((resolveClose) => {
        policy.close();
        server.close(() => {
          audit.close();
          session.remove();
          resolveClose();
        });
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

function reply(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.sendDate = false;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.sendDate = false;
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').trim();
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(new HttpError(413, `request body of ${declared} bytes exceeds the ${limit}-byte limit`));
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(new HttpError(413, `request body exceeds the ${limit}-byte limit`));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(body: Buffer): Record<string, unknown> {
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch (err) {
    throw new HttpError(400, `body is not JSON: ${(err as Error).message}`);
  }
  throw new HttpError(400, 'body must be a JSON object');
}

function toolCall(input: Record<string, unknown>): ToolCall {
  if (typeof input.tool !== 'string' || !input.tool) throw new HttpError(400, 'missing "tool"');
  if (!input.params || typeof input.params !== 'object' || Array.isArray(input.params)) throw new HttpError(400, 'missing "params" object');
  const call: ToolCall = { tool: input.tool, params: input.params as ToolCall['params'] };
  for (const k of ['agent', 'session', 'cwd'] as const) if (typeof input[k] === 'string') call[k] = input[k] as string;
  return call;
}
