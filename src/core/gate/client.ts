import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import type { Decision, GateMode, ToolCall } from '../types';

export interface GateResponse {
  status: number;
  body: string;
}

/** One authenticated request to a gate at `127.0.0.1:PORT` or `unix:/path`; the token is read from its file. */
export function gateRequest(
  address: string,
  tokenFile: string,
  method: string,
  path: string,
  body?: string | Buffer,
  timeoutMs = 10 * 60_000,
): Promise<GateResponse> {
  const token = readFileSync(tokenFile, 'utf8').trim();
  const target = address.startsWith('unix:')
    ? { socketPath: address.slice(5) }
    : { host: address.slice(0, address.lastIndexOf(':')), port: Number(address.slice(address.lastIndexOf(':') + 1)) };
  return new Promise((resolve, reject) => {
    const req = request({ ...target, method, path, headers: { Authorization: `Bearer ${token}` }, timeout: timeoutMs }, (res) => {
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

/** Asks a running gate to decide a call (POST /v1/check). */
export async function checkWithGate(address: string, tokenFile: string, call: ToolCall): Promise<GateCheckResult> {
  const res = await gateRequest(address, tokenFile, 'POST', '/v1/check', JSON.stringify(call));
  if (res.status !== 200) throw new Error(`gate at ${address} answered ${res.status}: ${res.body.trim()}`);
  return JSON.parse(res.body) as GateCheckResult;
}
