import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { chmodSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { CompletionRecord } from '../audit/index';
import { createGateCredentials } from './credentials';
import { HttpError, SESSION_HEADER, hangUpSignal, json, parseJson, readBody, reply, shellCall, toolCall } from './http';
import { oneLine } from '../printable';
import { openGateSession, type GateSession, type SessionOptions } from './session';
import { plural } from '../plural';

export interface GateServerOptions {
  /** TCP on 127.0.0.1 (random port unless given), or a Unix socket path. */
  listen?: { port?: number } | { socket: string };
  /** Requests with a larger body get 413. The default takes a 1 MB command with room to spare. */
  maxBodyBytes?: number;
  /** Idle time before a socket is dropped. */
  socketTimeoutMs?: number;
  /** How long an approver may take before the call is refused. */
  approvalTimeoutMs?: number;
  /** Where the gate's token directory is made (default: $XDG_RUNTIME_DIR or the temp dir). */
  runtimeDir?: string;
}

export interface OpenSessionOptions extends SessionOptions {
  /** This session also answers requests that name no session (the single-session CLI gate). */
  default?: boolean;
}

/** One HTTP server and one token, serving any number of agent sessions. */
export interface GateServer {
  /** `127.0.0.1:PORT` or `unix:/path`. */
  address: string;
  tokenFile: string;
  /** Starts a session; its calls are routed by its id. Throws on a duplicate id or audit directory. */
  openSession(opts: OpenSessionOptions): GateSession;
  session(id: string): GateSession | undefined;
  /** The open sessions, oldest first. */
  sessions(): GateSession[];
  /** Stops every session, then the server; the token directory is removed. */
  close(): Promise<void>;
}

export type GateOptions = GateServerOptions & SessionOptions;

/** A gate serving exactly one session, which also answers requests that name none (`learn`, `wrap`). */
export interface Gate extends Omit<GateSession, 'id' | 'closed' | 'close'> {
  address: string;
  tokenFile: string;
  sessionId: string;
  server: GateServer;
  /** Closes the session and the server. */
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY = 4 * 1024 * 1024;
const VERDICT_PREFIX = 'RAMPART-VERDICT';
const ENDPOINTS = new Set(['POST /v1/shell', 'POST /v1/check', 'POST /v1/complete']);

/**
 * Starts a gate: an HTTP server on 127.0.0.1 or a Unix socket. Each request
 * carries the bearer token and names its session (header X-Rampart-Session);
 * the session evaluates the call, appends it to its own audit log, tells its
 * listeners and answers, in that order.
 */
export async function startGateServer(opts: GateServerOptions = {}): Promise<GateServer> {
  const credentials = createGateCredentials(opts.runtimeDir);
  const sessions = new Map<string, GateSession>();
  // Ids of stopped sessions, so a late call gets "stopped" (410) rather than "unknown" (404).
  const stopped = new Set<string>();
  let fallback: GateSession | undefined;
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const socketTimeout = opts.socketTimeoutMs ?? 30_000;
  const approvalTimeout = opts.approvalTimeoutMs ?? 5 * 60_000;

  function sessionFor(req: IncomingMessage): GateSession {
    const named = req.headers[SESSION_HEADER.toLowerCase()];
    const id = (Array.isArray(named) ? named[0] : named)?.trim();
    if (!id) {
      if (fallback) return fallback;
      throw new HttpError(400, `no session named: send the ${SESSION_HEADER} header (the agent's RAMPART_SESSION)`);
    }
    const s = sessions.get(id);
    if (s) return s;
    if (stopped.has(id)) throw new HttpError(410, `session ${id} has been stopped`);
    throw new HttpError(404, `unknown session ${JSON.stringify(id.slice(0, 80))}: this gate serves ${plural(sessions.size, 'other session')}`);
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
    if (!credentials.accepts(presented)) {
      reply(res, 401, 'missing or wrong token\n', { 'WWW-Authenticate': 'Bearer' });
      req.resume();
      return;
    }
    const route = `${req.method} ${(req.url ?? '').split('?')[0]}`;
    if (route === 'GET /v1/status') {
      // Naming no session on a gate without a default one lists them all.
      if (!req.headers[SESSION_HEADER.toLowerCase()] && !fallback) return json(res, 200, { sessions: [...sessions.values()].map(statusOf) });
      return json(res, 200, statusOf(sessionFor(req)));
    }
    if (!ENDPOINTS.has(route)) throw new HttpError(404, `no such endpoint: ${route}`);
    // The body is read before the session is looked up, so a refusal reaches a client that is still sending.
    const body = await readBody(req, maxBody);
    const session = sessionFor(req);
    if (route === 'POST /v1/complete') {
      const input = parseJson(body);
      const ref = typeof input.id === 'string' ? input.id : '';
      const response: CompletionRecord['response'] = {};
      if (Number.isInteger(input.exit_code)) response.exit_code = input.exit_code as number;
      if (typeof input.duration_ms === 'number' && input.duration_ms >= 0) response.duration_ms = input.duration_ms;
      if (typeof input.signal === 'string' && /^[A-Z][A-Z0-9+-]{0,15}$/.test(input.signal)) response.signal = input.signal;
      const record = session.complete(ref, response);
      return json(res, 200, { id: record.id, ref });
    }
    // Waiting on a human must not count as an idle socket.
    req.socket.setTimeout(approvalTimeout + socketTimeout);
    // The asker may be gone before its answer: its shell gave up waiting (RAMPART_GATE_TIMEOUT on a stalled gate), or
    // the agent killed it. The call is then recorded as not delivered, and a question put to a human is withdrawn.
    const gone = await hangUpSignal(req, res);
    if (route === 'POST /v1/shell') {
      const verdict = await session.decide(shellCall(body), gone);
      const line = `${VERDICT_PREFIX} ${verdict.run ? 'run' : 'block'} ${verdict.event.id} ${oneLine(verdict.message, Infinity)}\n`;
      return reply(res, 200, line);
    }
    const verdict = await session.decide(toolCall(parseJson(body)), gone);
    const { decision, id } = verdict.event;
    return json(res, 200, { id, run: verdict.run, approval: verdict.approval, ...decision });
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
  const host = {
    address,
    tokenFile: credentials.tokenFile,
    approvalTimeoutMs: approvalTimeout,
    closed(s: GateSession) {
      sessions.delete(s.id);
      stopped.add(s.id);
      if (fallback === s) fallback = undefined;
    },
  };
  return {
    address,
    tokenFile: credentials.tokenFile,
    openSession(o) {
      if (closed) throw new Error('the gate is closed');
      if (o.id !== undefined && (sessions.has(o.id) || stopped.has(o.id))) throw new Error(`the gate already has a session ${o.id}`);
      const dir = resolve(o.auditDir);
      const sharing = [...sessions.values()].find((s) => resolve(s.auditDir) === dir);
      if (sharing) throw new Error(`session ${sharing.id} already writes the audit log in ${dir}; each session needs its own directory`);
      if (o.default && fallback) throw new Error(`session ${fallback.id} already answers requests that name no session`);
      const s = openGateSession(o, host);
      sessions.set(s.id, s);
      if (o.default) fallback = s;
      return s;
    },
    session: (id) => sessions.get(id),
    sessions: () => [...sessions.values()],
    close() {
      closed ??= (async () => {
        await Promise.all([...sessions.values()].map((s) => s.close()));
        await new Promise<void>((resolveClose) => {
          server.close(() => resolveClose());
          server.closeAllConnections();
        });
        credentials.remove();
      })();
      return closed;
    },
  };
}

function statusOf(s: GateSession) {
  return { session: s.id, mode: s.mode, policy: s.policy.files, stats: s.stats };
}

/** A gate with one session (the CLI's `learn` and `wrap`): requests need not name the session. */
export async function startGate(opts: GateOptions): Promise<Gate> {
  const { listen, maxBodyBytes, socketTimeoutMs, approvalTimeoutMs, runtimeDir, ...sessionOpts } = opts;
  const server = await startGateServer({ listen, maxBodyBytes, socketTimeoutMs, approvalTimeoutMs, runtimeDir });
  let session: GateSession;
  try {
    session = server.openSession({ ...sessionOpts, default: true });
  } catch (err) {
    await server.close();
    throw err;
  }
  return {
    address: server.address,
    tokenFile: server.tokenFile,
    sessionId: session.id,
    server,
    mode: session.mode,
    auditDir: session.auditDir,
    get policy() {
      return session.policy;
    },
    stats: session.stats,
    sessionEnv: session.sessionEnv,
    decide: session.decide,
    complete: session.complete,
    onEvent: session.onEvent,
    onCompletion: session.onCompletion,
    onPolicyError: session.onPolicyError,
    onPolicyReload: session.onPolicyReload,
    close: () => server.close(),
  };
}
