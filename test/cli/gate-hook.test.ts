import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decideHookPayload, parseHookPayload } from '../../src/cli/claude-hook';
import { verifyAudit } from '../../src/core/audit';
import { allEvents, tempDir, testGate, testServer, writePolicy } from '../gate/helpers';
import { SHARED_DATA } from '../shared-data';

const HOOK_LOGS = join(SHARED_DATA, 'claude-code', 'hook-logs');
const CLI = join(__dirname, '../../dist/cli.js');

const HOOK_POLICY = `version: "1"
default_action: allow
policies:
  - name: no-env-files
    match:
      tool: ["read", "write", "edit"]
    rules:
      - action: deny
        when:
          path_matches: ["**/.env"]
        message: "secrets stay out"
  - name: no-rm
    match:
      tool: ["exec"]
    rules:
      - action: deny
        when:
          command_matches: ["rm -rf *"]
        message: "destructive rm"
  - name: fetch-asks
    match:
      tool: ["fetch"]
    rules:
      - action: ask
        when:
          domain_matches: ["*"]
        message: "network fetch"
  - name: project-sources
    match:
      tool: ["read"]
    rules:
      - action: allow
        when:
          path_matches: ["**/proj/src/**"]
`;

function cli(args: string[], input: string, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d));
    p.stderr.on('data', (d: Buffer) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
    p.stdin.end(input);
  });
}

const payload = (tool_name: string, tool_input: Record<string, unknown>, cwd = '/home/u/proj') =>
  JSON.stringify({ session_id: 'sess-1', transcript_path: '/t.jsonl', cwd, hook_event_name: 'PreToolUse', tool_name, tool_input });

// No RAMPART_GATE: decide locally.
const localEnv = (() => {
  const { RAMPART_GATE: _g, RAMPART_TOKEN_FILE: _t, ...rest } = process.env;
  return rest;
})();

test('every real PreToolUse payload in the hook logs maps, is decided and recorded', async () => {
  const dir = tempDir('rl-hook-');
  const policy = writePolicy(dir, HOOK_POLICY);
  const auditDir = join(dir, 'audit');
  const files = readdirSync(HOOK_LOGS).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 20);
  let total = 0;
  const tools = new Set<string>();
  for (const f of files) {
    const payloads = JSON.parse(readFileSync(join(HOOK_LOGS, f), 'utf8')) as unknown[];
    for (const [i, p] of payloads.entries()) {
      const parsed = parseHookPayload(JSON.stringify(p), `${f}[${i}]`);
      const out = await decideHookPayload(parsed, { env: localEnv, policy, auditDir, mode: 'enforce' });
      assert.equal(out.hookSpecificOutput.hookEventName, 'PreToolUse');
      // No decision where only default_action allowed it: Claude Code's own permissions apply.
      assert.ok([undefined, 'allow', 'deny', 'ask'].includes(out.hookSpecificOutput.permissionDecision), `${f}[${i}]`);
      tools.add(parsed.tool_name);
      total++;
    }
  }
  const events = await allEvents(auditDir);
  assert.equal(events.length, total);
  assert.ok(total > 4000, `${total} payloads`);
  const byTool = new Set(events.map((e) => e.tool));
  for (const t of ['exec', 'read', 'write', 'edit', 'fetch', 'search']) assert.ok(byTool.has(t), `saw ${t}`);
  assert.ok([...byTool].some((t) => t === 'mcp' || t.startsWith('mcp')), 'saw MCP calls');
  assert.equal((await verifyAudit(auditDir)).ok, true);
  assert.ok(tools.size > 20);
});

test('hook claude-code prints the decision JSON for allow, deny and ask, and none where no rule matched', async () => {
  const dir = tempDir('rl-hook-');
  const policy = writePolicy(dir, HOOK_POLICY);
  const args = ['hook', 'claude-code', '--policy', policy, '--audit-dir', join(dir, 'audit')];
  const allow = await cli(args, payload('Read', { file_path: '/home/u/proj/src/a.ts' }), localEnv);
  assert.equal(allow.code, 0, allow.stderr);
  assert.deepEqual(JSON.parse(allow.stdout), {
    hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow', permissionDecisionReason: 'rampart: allow by project-sources: project-sources rule 0 (allow)' },
  });
  // Allowed only by default_action: no decision, or Claude Code would skip its own prompt for everything the policy does not name.
  const unnamed = await cli(args, payload('Bash', { command: 'git reset --hard HEAD~3' }), localEnv);
  assert.deepEqual(JSON.parse(unnamed.stdout), {
    hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecisionReason: "rampart: no rule matched (default_action: allow); Claude Code's own permissions apply" },
  });
  const deny = await cli(args, payload('Edit', { file_path: '/home/u/proj/.env', old_string: 'a', new_string: 'b' }), localEnv);
  assert.equal(JSON.parse(deny.stdout).hookSpecificOutput.permissionDecision, 'deny');
  assert.match(JSON.parse(deny.stdout).hookSpecificOutput.permissionDecisionReason, /no-env-files: secrets stay out/);
  const ask = await cli(args, payload('WebFetch', { url: 'https://example.com/x', prompt: 'p' }), localEnv);
  assert.equal(JSON.parse(ask.stdout).hookSpecificOutput.permissionDecision, 'ask');
  const monitor = await cli([...args, '--mode', 'monitor'], payload('Bash', { command: 'rm -rf /' }), localEnv);
  const m = JSON.parse(monitor.stdout).hookSpecificOutput;
  assert.equal(m.permissionDecision, undefined, 'monitor mode neither grants nor blocks');
  assert.match(m.permissionDecisionReason, /monitor.*deny by no-rm/);
  const events = await allEvents(join(dir, 'audit'));
  assert.deepEqual(events.map((e) => [e.tool, e.decision.action, e.agent, e.session]), [
    ['read', 'allow', 'claude-code', 'sess-1'],
    ['exec', 'allow', 'claude-code', 'sess-1'],
    ['edit', 'deny', 'claude-code', 'sess-1'],
    ['fetch', 'ask', 'claude-code', 'sess-1'],
    ['exec', 'deny', 'claude-code', 'sess-1'],
  ]);
});

test('inside a session the hook asks the gate', async (t) => {
  const { gate, auditDir } = await testGate();
  t.after(() => gate.close());
  const env = { ...process.env, ...gate.sessionEnv() };
  const r = await cli(['hook', 'claude-code'], payload('Bash', { command: 'rm -rf /tmp/x' }), env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).hookSpecificOutput.permissionDecision, 'deny');
  const ask = await cli(['hook', 'claude-code'], payload('Bash', { command: 'sudo ls' }), env);
  assert.equal(JSON.parse(ask.stdout).hookSpecificOutput.permissionDecision, 'ask', 'no approver on the gate: Claude Code asks');
  const events = await allEvents(auditDir);
  assert.deepEqual(events.map((e) => e.request.command), ['rm -rf /tmp/x', 'sudo ls']);
  assert.equal(events[0].session, 'sess-1');
  // gate gone: enforce fails closed
  await gate.close();
  const down = await cli(['hook', 'claude-code'], payload('Read', { file_path: '/a' }), env);
  assert.equal(JSON.parse(down.stdout).hookSpecificOutput.permissionDecision, 'deny');
  assert.match(JSON.parse(down.stdout).hookSpecificOutput.permissionDecisionReason, /gate unreachable/);
});

test('in a window gate with several sessions the hook is routed by RAMPART_SESSION', async (t) => {
  const { server, dir, policy } = await testServer();
  t.after(() => server.close());
  const a = server.openSession({ policy, mode: 'enforce', auditDir: join(dir, 'a') });
  const b = server.openSession({ policy, mode: 'monitor', auditDir: join(dir, 'b') });
  const hook = (env: Record<string, string>, command: string) =>
    decideHookPayload(parseHookPayload(payload('Bash', { command }), '<stdin>'), { env: { ...localEnv, ...env }, auditDir: join(dir, 'local'), mode: 'enforce' });
  const denied = await hook(a.sessionEnv(), 'rm -rf /tmp/x');
  assert.equal(denied.hookSpecificOutput.permissionDecision, 'deny');
  const observed = await hook(b.sessionEnv(), 'rm -rf /tmp/y');
  assert.equal(observed.hookSpecificOutput.permissionDecision, undefined, 'monitor session: no decision');
  assert.deepEqual((await allEvents(a.auditDir)).map((e) => e.request.command), ['rm -rf /tmp/x']);
  assert.deepEqual((await allEvents(b.auditDir)).map((e) => e.request.command), ['rm -rf /tmp/y']);
  // An unknown session is refused by the gate; enforce mode then fails closed.
  const lost = await hook({ ...a.sessionEnv(), RAMPART_SESSION: 'NOPE' }, 'ls');
  assert.equal(lost.hookSpecificOutput.permissionDecision, 'deny');
  assert.match(lost.hookSpecificOutput.permissionDecisionReason, /answered 404: unknown session "NOPE".*enforce mode fails closed/);
});

test('RAMPART_GATE_FAIL decides what the hook does when the gate is gone', async () => {
  const { gate } = await testGate({ mode: 'enforce' });
  const env = { ...localEnv, ...gate.sessionEnv() };
  await gate.close();
  const dir = tempDir('rl-hook-');
  const decide = (extra: Record<string, string>) =>
    decideHookPayload(parseHookPayload(payload('Read', { file_path: '/a' }), '<stdin>'), { env: { ...env, ...extra }, auditDir: join(dir, 'audit'), mode: 'enforce' });
  const open = (await decide({ RAMPART_GATE_FAIL: 'open' })).hookSpecificOutput;
  assert.equal(open.permissionDecision, undefined, 'failing open leaves the call to Claude Code\'s own permissions');
  assert.match(open.permissionDecisionReason, /gate unreachable .*failing open \(RAMPART_GATE_FAIL=open\)/);
  const closed = (await decide({ RAMPART_GATE_FAIL: 'closed', RAMPART_MODE: 'monitor' })).hookSpecificOutput;
  assert.equal(closed.permissionDecision, 'deny');
  assert.match(closed.permissionDecisionReason, /failing closed \(RAMPART_GATE_FAIL=closed\)/);
  const monitor = (await decide({ RAMPART_MODE: 'monitor' })).hookSpecificOutput;
  assert.equal(monitor.permissionDecision, undefined);
  assert.match(monitor.permissionDecisionReason, /monitor mode fails open/);
});

test('a malformed payload is a one-line error with a location and exit 2', async () => {
  const r = await cli(['hook', 'claude-code'], '{\n  "tool_name": "Bash",\n  "tool_input": {"command": }\n}', localEnv);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /<stdin>:3:\d+: invalid hook payload/);
  const noTool = await cli(['hook', 'claude-code'], '{"tool_input": {}}', localEnv);
  assert.equal(noTool.code, 2);
  assert.match(noTool.stderr, /no "tool_name"/);
});

test('a hook that cannot decide never fails open where the policy could deny: exit 2, one line, no stack', async () => {
  const dir = tempDir('rl-hook-');
  const notADir = join(dir, 'file');
  writeFileSync(notADir, 'x');
  const rm = payload('Bash', { command: 'rm -rf /' });
  const run = (args: string[], env: NodeJS.ProcessEnv = {}, input = rm) => cli(['hook', 'claude-code', ...args], input, { ...localEnv, ...env });
  const oneLine = (r: { stderr: string }) => assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);

  // Enforce mode blocks whatever RAMPART_GATE_FAIL says: that setting is about reaching a gate.
  for (const [args, env] of [
    [['--audit-dir', notADir], {}],
    [['--audit-dir', join(notADir, 'sub')], {}],
    [[], { RAMPART_AUDIT_DIR: notADir }],
    [['--audit-dir', notADir], { RAMPART_GATE_FAIL: 'open' }],
  ] as const) {
    const r = await run([...args], env);
    assert.equal(r.code, 2, `${args.join(' ')} ${JSON.stringify(env)}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    oneLine(r);
    assert.match(r.stderr, /^rampart-learn: audit directory .*: not a directory; enforce mode fails closed: the call is blocked\n$/);
  }
  // A parent that cannot be made is the one named.
  const deep = await run(['--audit-dir', join(notADir, 'sub', 'audit')]);
  assert.equal(deep.code, 2);
  assert.equal(deep.stderr, `rampart-learn: audit directory ${join(notADir, 'sub', 'audit')}: cannot create ${join(notADir, 'sub')}: not a directory; enforce mode fails closed: the call is blocked\n`);
  // Monitor mode blocks nothing by design: RAMPART_GATE_FAIL decides, open by default (exit 1: a non-blocking error Claude Code shows).
  const open = await run(['--mode', 'monitor', '--audit-dir', notADir]);
  assert.equal(open.code, 1);
  oneLine(open);
  assert.match(open.stderr, /monitor mode fails open: the call goes ahead unrecorded\n$/);
  const closed = await run(['--mode', 'monitor', '--audit-dir', notADir], { RAMPART_GATE_FAIL: 'closed' });
  assert.equal(closed.code, 2);
  assert.match(closed.stderr, /failing closed \(RAMPART_GATE_FAIL=closed\): the call is blocked\n$/);
  // The same rule for a payload it cannot read, and for a policy it cannot load.
  const garbled = await run(['--mode', 'monitor', '--audit-dir', join(dir, 'audit')], {}, '{');
  assert.equal(garbled.code, 1);
  assert.match(garbled.stderr, /^rampart-learn: <stdin>:1:2: invalid hook payload/);
  writeFileSync(join(dir, 'bad.yaml'), 'policies: [\n');
  const badPolicy = await run(['--policy', join(dir, 'bad.yaml'), '--audit-dir', join(dir, 'audit')]);
  assert.equal(badPolicy.code, 2);
  oneLine(badPolicy);
});

test('payload fields of the wrong type are malformed, never skipped; stderr carries no terminal controls', async () => {
  const dir = tempDir('rl-hook-');
  const run = (input: string) => cli(['hook', 'claude-code', '--audit-dir', join(dir, 'audit')], input, localEnv);
  const rm = { tool_name: 'Bash', tool_input: { command: 'rm -rf /' } };
  // A non-string event name was taken for another event: exit 0 and no decision, so the call ran.
  for (const [key, value] of [
    ['hook_event_name', 5],
    ['cwd', 5],
    ['session_id', { a: 1 }],
  ] as const) {
    const r = await run(JSON.stringify({ ...rm, [key]: value }));
    assert.equal(r.code, 2, `${key}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `rampart-learn: <stdin>:1:1: hook payload "${key}" is not a string; enforce mode fails closed: the call is blocked\n`);
  }
  // JSON.parse quotes the start of what it could not read.
  const hostile = await run('\u001b]0;pwned\u0007\u001b[2J{');
  assert.equal(hostile.code, 2);
  assert.doesNotMatch(hostile.stderr, /[\u0000-\u0009\u000b-\u001f]/);
  assert.match(hostile.stderr, /\\x1b\]0;pwned\\x07/);
});

test('an audit file name planted as a link is refused in one line, and the link target is not written', async () => {
  const dir = tempDir('rl-hook-');
  const audit = join(dir, 'audit');
  mkdirSync(audit);
  const victim = join(dir, 'victim.sh');
  writeFileSync(victim, 'echo hi\n');
  symlinkSync(victim, join(audit, 'audit.jsonl'));
  const r = await cli(['hook', 'claude-code', '--audit-dir', audit], payload('Bash', { command: 'rm -rf / $(id)' }), localEnv);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^rampart-learn: cannot record the call: audit file .*audit\.jsonl is not a regular file .*; enforce mode fails closed: the call is blocked\n$/);
  assert.equal(readFileSync(victim, 'utf8'), 'echo hi\n');
});
