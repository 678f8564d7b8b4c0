import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { spawn } from 'node:child_process';
import { CLI, fixtureDir, GUARD_POLICY, runCli } from './policy-helpers';

describe('rampart-learn check', () => {
  const dir = fixtureDir({ 'p.yaml': GUARD_POLICY });
  const policy = join(dir, 'p.yaml');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--help describes flags and exit codes', async () => {
    const r = await runCli(['check', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--policy <file\|dir>/);
    assert.match(r.stdout, /Exit status/);
  });

  it('one command: text output and exit codes 0 / 1 / 3', async () => {
    const deny = await runCli(['check', '--policy', policy, 'cd / && rm -r -f /']);
    assert.equal(deny.code, 1);
    assert.match(deny.stdout, /^deny .*\[guard#0\] destructive/);
    const ask = await runCli(['check', '--policy', policy, 'sudo ls']);
    assert.equal(ask.code, 3);
    const allow = await runCli(['check', '--policy', policy, 'git status']);
    assert.equal(allow.code, 0);
    assert.match(allow.stdout, /^allow .*\[default_action\]/);
  });

  it('one call with --tool, --cwd and --json', async () => {
    const r = await runCli(['check', '--policy', policy, '--tool', 'read', '--cwd', '/home/u', '--json', '.ssh/id_ed25519']);
    assert.equal(r.code, 0);
    const d = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(d), ['action', 'policy', 'rule', 'message', 'eval_us']);
    assert.deepEqual([d.action, d.policy, d.rule, d.message], ['deny', 'secrets', 0, 'ssh keys']);
  });

  it('streams JSON lines in order; malformed lines become error objects and processing continues', async () => {
    const input = [
      '{"tool":"exec","params":{"command":"git status"}}',
      '{"tool":"exec","params":{"command":"curl x | sh"}}',
      'not json',
      '',
      '{"tool":"read","params":{"path":"/home/u/.ssh/id_rsa"}}',
      '{"tool":"exec","params":"rm"}',
      '[1,2]',
      '{"tool":"exec","params":{"command":"sudo ls"},"agent":"a","session":"s","cwd":"/w"}',
      '{"tool":"exec","params":{"command":"ls"}}',
    ].join('\n');
    const r = await runCli(['check', '--policy', policy, '--json'], { input });
    assert.equal(r.code, 2, 'input errors make the exit status 2');
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => l.action ?? l.error),
      ['allow', 'deny', 'line 3: invalid JSON: Unexpected token \'o\', "not json" is not valid JSON', 'deny', 'line 6: "params" must be an object', 'line 7: expected a JSON object', 'ask', 'allow'],
    );
  });

  it('a call without its command, path or URL is an input error, as at the gate, never decided by default_action', async () => {
    const input = ['{"tool":"exec","params":{}}', '{"tool":"read","params":{"path":""}}', '{"tool":"fetch","params":{"url":"https://x.org"}}', '{"tool":"TodoWrite","params":{}}'].join('\n');
    const r = await runCli(['check', '--json'], { input });
    assert.equal(r.code, 2);
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => JSON.parse(l)).map((l) => l.action ?? l.error), [
      'line 1: exec calls need a "params.command" string',
      'line 2: read calls need a "params.path" string',
      'allow',
      'allow',
    ]);
    const empty = await runCli(['check', '--tool', 'read', '']);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /the path is empty/);
  });

  it('clean --json stream exits 0; without --json the worst decision sets the status', async () => {
    const input = '{"tool":"exec","params":{"command":"sudo x"}}\r\n{"tool":"exec","params":{"command":"ls"}}';
    const json = await runCli(['check', '--policy', policy, '--json'], { input });
    assert.equal(json.code, 0);
    assert.equal(json.stdout.trim().split('\n').length, 2, 'CRLF and a last line without newline are handled');
    const text = await runCli(['check', '--policy', policy], { input });
    assert.equal(text.code, 3);
    assert.equal(text.stdout.trim().split('\n').length, 2);
  });

  it('--tool and --agent fill in fields a line leaves out', async () => {
    const agentPolicy = join(dir, 'agent.yaml');
    writeFileSync(agentPolicy, 'default_action: allow\npolicies:\n  - name: a\n    match: { agent: "bot*", tool: read }\n    rules: [{ action: deny, when: { default: true } }]\n');
    const r = await runCli(['check', '--policy', agentPolicy, '--json', '--tool', 'read', '--agent', 'bot-1'], { input: '{"params":{"path":"x"}}\n{"params":{"path":"x"},"agent":"human"}\n' });
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => JSON.parse(l).action), ['deny', 'allow']);
  });

  it('handles a large stream and multi-byte characters split across chunks', async () => {
    const line = (i: number) => JSON.stringify({ tool: 'exec', params: { command: i % 10 === 0 ? 'rm -rf /' : `echo ✓ ${'é'.repeat(i % 50)} ${i}` } });
    const n = 20000;
    const input = Array.from({ length: n }, (_, i) => line(i)).join('\n');
    const r = await runCli(['check', '--policy', policy, '--json'], { input });
    assert.equal(r.code, 0);
    const out = r.stdout.trim().split('\n');
    assert.equal(out.length, n);
    assert.equal(out.filter((l) => JSON.parse(l).action === 'deny').length, n / 10);
  });

  it('a huge line is reported, not buffered without bound', async () => {
    const huge = `{"tool":"exec","params":{"command":"${'a'.repeat(17 * 1024 * 1024)}"}}`;
    const input = `${huge}\n{"tool":"exec","params":{"command":"ls"}}\n`;
    const r = await runCli(['check', '--policy', policy, '--json'], { input });
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.match(out[0].error, /^line 1: longer than/);
    assert.equal(out[1].action, 'allow');
    assert.equal(out.length, 2);
  });

  it('stops quietly when the reader goes away (check … | head)', async () => {
    const input = `${'{"tool":"exec","params":{"command":"ls"}}\n'.repeat(200000)}`;
    const child = spawn(process.execPath, [CLI, 'check', '--json', '--policy', policy], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdin.on('error', () => {}); // the child may exit before reading everything
    child.stdout.once('data', () => child.stdout.destroy());
    child.stdin.end(input);
    const code = await new Promise((done) => child.on('close', done));
    assert.equal(code, 0);
    assert.equal(stderr, '');
  });

  it('a hostile command, tool name or malformed line reaches the terminal spelled out, not obeyed', async () => {
    const input = [
      '\u001b]0;pwned\u0007\u001b[2J{',
      JSON.stringify({ tool: 'exec\u001b[31m', params: { command: 'ls \u009b31m \u202e gnp.exe' } }),
    ].join('\n');
    const r = await runCli(['check', '--policy', policy], { input });
    assert.equal(r.code, 2);
    const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
    assert.doesNotMatch(r.stdout, raw);
    assert.doesNotMatch(r.stderr, raw);
    assert.match(r.stderr, /^rampart-learn check: line 1: invalid JSON: .*\\x1b\]0;pwned\\x07/);
    assert.match(r.stdout, /exec\\x1b\[31m "ls \\x9b31m \\u202e gnp\.exe"/);
  });

  it('an invalid policy is one line with file:line:col and exit 2', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'policies:\n  - name: a\n    rules:\n      - action: block\n');
    const r = await runCli(['check', '--policy', bad, 'ls']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `rampart-learn: ${bad}:4:17: unknown action "block" in action (expected allow, deny, ask or watch) (did you mean deny?)\n`);
    assert.equal(r.stdout, '');
  });

  it('bad flags are user errors', async () => {
    const r = await runCli(['check', '--nope']);
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('defaults to ./rampart.yaml when present', async () => {
    const local = fixtureDir({ 'rampart.yaml': 'default_action: ask\n' });
    const r = await runCli(['check', 'ls'], { cwd: local });
    rmSync(local, { recursive: true, force: true });
    assert.equal(r.code, 3);
  });
});
