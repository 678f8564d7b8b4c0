import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import type { Decision, GateMode, ToolCall } from '../types';
import { SESSION_HEADER } from './http';

export interface GateResponse {
  status: number;
  body: string;
}

export interface GateRequestOptions {
  /** The session the request belongs to (sent as X-Rampart-Session); a single-session gate needs none. */
  session?: string;
  timeoutMs?: number;
}

/** One authenticated request to a gate at `127.0.0.1:PORT` or `unix:/path`; the token is read from its file. */
export function gateRequest(
  address: string,
  tokenFile: string,
  method: string,
  path: string,
  body?: string | Buffer,
  opts: GateRequestOptions = {},
): Promise<GateResponse> {
  const timeoutMs = opts.timeoutMs ?? 10 * 60_000;
  const token = readFileSync(tokenFile, 'utf8').trim();
  const target = address.startsWith('unix:')
    ? { socketPath: address.slice(5) }
    : { host: address.slice(0, address.lastIndexOf(':')), port: Number(address.slice(address.lastIndexOf(':') + 1)) };
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (opts.session) headers[SESSION_HEADER] = opts.session;
  return new Promise((resolve, reject) => {
    const req = request({ ...target, method, path, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`gate at ${address} did not answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

export interface GateCheckResult extends Decision {
  id: string;
  run: boolean;
  approval?: 'approved' | 'refused' | 'none';
  enforced: boolean;
  mode: GateMode;
}

/** Asks a running gate to decide a call (POST /v1/check) for `session`. */
export async function checkWithGate(address: string, tokenFile: string, call: ToolCall, session?: string): Promise<GateCheckResult> {
  const res = await gateRequest(address, tokenFile, 'POST', '/v1/check', JSON.stringify(call), { session });
  if (res.status !== 200) throw new Error(`gate at ${address} answered ${res.status}: ${res.body.trim()}`);
  return JSON.parse(res.body) as GateCheckResult;
}
