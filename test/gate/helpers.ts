import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGate, startGateServer, type Gate, type GateOptions, type GateServer } from '../../src/core/gate';
import type { AuditEvent } from '../../src/core/types';
import { readAuditEvents } from '../../src/core/audit';

export const REPO = join(__dirname, '../..');
export const SHIM = join(REPO, 'shim/rampart-shell');

export const TEST_POLICY = `version: "1"
default_action: allow
policies:
  - name: no-destructive-rm
    match:
      tool: ["exec"]
    rules:
      - action: deny
        when:
          command_matches: ["rm -rf *"]
        message: "destructive rm is not allowed"
  - name: sudo-needs-approval
    match:
      tool: ["exec"]
    rules:
      - action: ask
        when:
          command_matches: ["sudo *"]
        message: "sudo needs approval"
  - name: watch-curl
    match:
      tool: ["exec"]
    rules:
      - action: watch
        when:
          command_matches: ["curl *"]
        message: "network access"
`;

export function tempDir(prefix = 'rl-gate-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writePolicy(dir: string, text = TEST_POLICY): string {
  const file = join(dir, 'rampart.yaml');
  writeFileSync(file, text);
  return file;
}

/** A gate on a fresh temp dir with the test policy. */
export async function testGate(over: Partial<GateOptions> = {}): Promise<{ gate: Gate; dir: string; auditDir: string }> {
  const dir = tempDir();
  const auditDir = join(dir, 'audit');
  const gate = await startGate({ policy: writePolicy(dir), mode: 'enforce', auditDir, agent: 'test', runtimeDir: join(dir, 'run'), ...over });
  return { gate, dir, auditDir };
}

/** A multi-session gate server on a fresh temp dir; sessions are opened by the test. */
export async function testServer(): Promise<{ server: GateServer; dir: string; policy: string }> {
  const dir = tempDir();
  const server = await startGateServer({ runtimeDir: join(dir, 'run') });
  return { server, dir, policy: writePolicy(dir) };
}

export async function allEvents(auditDir: string): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  for await (const e of readAuditEvents(auditDir)) out.push(e);
  return out;
}

export interface RunResult {
  code: number | null;
  /** The signal that ended it, if one did. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a program without blocking the event loop (the gate lives in this process). `onSpawn` gets the
 * child process, to signal it.
 */
export function run(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { cwd?: string; input?: string; onSpawn?: (child: ChildProcess) => void } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    opts.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    // A program may exit without reading its input (a shim failing closed does): that EPIPE is not a test failure.
    child.stdin.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') reject(err);
    });
    child.stdin.end(opts.input ?? '');
  });
}
