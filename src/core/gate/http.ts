// Small HTTP helpers of the gate: error type, answers, body reading and the
// request shapes of /v1/shell and /v1/check.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requireSubject, toolCallFromJson } from '../policy/call-input';
import { shellWord } from '../shell/quote';
import type { ToolCall } from '../types';

/** The request header that names the session a call belongs to (the agent's RAMPART_SESSION). */
export const SESSION_HEADER = 'X-Rampart-Session';

/** An error that becomes an HTTP answer with this status and the message as its body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function reply(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.sendDate = false;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function json(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.sendDate = false;
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Aborted once the client can no longer get its answer: it hung up (a shim that gave up waiting, a killed one).
 * Resolves after the event loop has polled the connection once more: Node handles a request as soon as it has
 * read it, and sees the end of the connection that came with it only on its next turn, so a client that sent its
 * request and hung up while the gate was stalled (stopped, busy) would otherwise pass for one that is waiting.
 */
export async function hangUpSignal(req: IncomingMessage, res: ServerResponse): Promise<AbortSignal> {
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  // An immediate runs after this turn's poll phase; one set from there runs after the next turn's.
  await new Promise((resolveTurn) => setImmediate(() => setImmediate(resolveTurn)));
  // The server keeps no half-open connections: once the client's side has ended, no answer gets through.
  if (req.socket.destroyed || req.socket.readableEnded) gone.abort();
  return gone.signal;
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
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

export function parseJson(body: Buffer): Record<string, unknown> {
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch (err) {
    throw new HttpError(400, `body is not JSON: ${(err as Error).message}`);
  }
  throw new HttpError(400, 'body must be a JSON object');
}

/** The body of POST /v1/check: validated like `check`'s input, and never without its subject. */
export function toolCall(input: Record<string, unknown>): ToolCall {
  let call: ToolCall;
  try {
    call = requireSubject(toolCallFromJson(input));
  } catch (err) {
    throw new HttpError(400, (err as Error).message);
  }
  return call;
}

/**
 * The body of POST /v1/shell: raw `cwd NUL command`, then `NUL operand` for each operand after the command
 * string (`sh -c '"$@"' _ rm -rf x`), so the bytes travel untouched, no escaping.
 */
export function shellCall(body: Buffer): ToolCall {
  const nul = body.indexOf(0);
  const cwd = nul >= 0 ? body.subarray(0, nul).toString('utf8') : '';
  const [script = '', ...operands] = (nul >= 0 ? body.subarray(nul + 1) : body).toString('utf8').split('\0');
  // Operands after the script are its $0, $1…: the call is judged (and logged) as the whole line that runs.
  const command = operands.length ? ['sh', '-c', script, ...operands].map(shellWord).join(' ') : script;
  return cwd ? { tool: 'exec', params: { command }, cwd } : { tool: 'exec', params: { command } };
}
