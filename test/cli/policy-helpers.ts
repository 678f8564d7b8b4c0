// Spawning the built CLI (dist/cli.js) for the check/test/lint tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { input?: string | Buffer; cwd?: string; env?: Record<string, string> } = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1', ...opts.env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

/** A temporary directory with the given files written into it. */
export function fixtureDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'policy-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export const GUARD_POLICY = `version: "1"
default_action: allow
policies:
  - name: guard
    rules:
      - action: deny
        when:
          command_matches: ["rm -rf /", "curl * | sh"]
        message: destructive
      - action: ask
        when:
          command_matches: ["sudo *"]
        message: elevation
  - name: secrets
    match: { tool: [read] }
    rules:
      - action: deny
        when: { path_matches: ["**/.ssh/**"] }
        message: ssh keys
tests:
  - name: rm root
    params: { command: "rm -fr /" }
    expect: deny
    expect_message: "destr*"
  - name: sudo asks
    params: { command: "sudo ls" }
    expect: ask
  - name: ssh key
    tool: read
    params: { path: "~/.ssh/id_rsa" }
    expect: deny
`;
