import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fixtureDir, GUARD_POLICY, runCli } from './policy-helpers';

describe('rampart-learn test', () => {
  const dir = fixtureDir({ 'p.yaml': GUARD_POLICY });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('passing inline tests: a line per case, a summary, exit 0', async () => {
    const r = await runCli(['test', join(dir, 'p.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['ok   rm root', 'ok   sudo asks', 'ok   ssh key', '3 cases: 3 passed, 0 failed']);
  });

  it('a failing suite case: location, reason, exit 1; --json and --run', async () => {
    writeFileSync(
      join(dir, 'suite.yaml'),
      'policy: p.yaml\ntests:\n  - name: git ok\n    params: { command: "git status" }\n    expect: allow\n  - name: wrong\n    params: { command: "sudo rm x" }\n    expect: allow\n',
    );
    const r = await runCli(['test', join(dir, 'suite.yaml')]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /FAIL wrong\n\s+.*suite\.yaml:6: expected allow, got ask \(policy guard rule 1\)/);
    assert.match(r.stdout, /2 cases: 1 passed, 1 failed/);
    const j = await runCli(['test', join(dir, 'suite.yaml'), '--json', '--run', 'git*']);
    assert.equal(j.code, 0);
    const lines = j.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines[0].name, 'git ok');
    assert.equal(lines[0].passed, true);
    assert.deepEqual(lines[1], { summary: { passed: 1, failed: 0, skipped: 1 } });
  });

  it('case names and messages reach the terminal with their controls spelled out', async () => {
    writeFileSync(
      join(dir, 'hostile.yaml'),
      'policy: p.yaml\ntests:\n  - name: "t \\e]0;pwned\\a \\u202Egnp.exe"\n    params: { command: "rm -rf /" }\n    expect: allow\n',
    );
    const r = await runCli(['test', join(dir, 'hostile.yaml')]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^FAIL t \\x1b\]0;pwned\\x07 \\u202egnp\.exe\n/);
    assert.doesNotMatch(r.stdout, /[\u001b\u0007\u202e]/);
  });

  it('--verbose shows the deciding rule, in plain ASCII in a pipe or under NO_COLOR', async () => {
    const r = await runCli(['test', join(dir, 'p.yaml'), '--verbose']);
    assert.match(r.stdout, /ok {3}rm root {2}-> deny \[guard#0\] destructive/);
    // The same for explain's description and for option errors.
    const explained = await runCli(['explain', 'git *'], { env: { RAMPART_AUDIT_DIR: join(dir, 'no-log') } });
    const refused = await runCli(['analyze', 'x', '--min-frequency', '0']);
    assert.match(refused.stderr, /a whole number >= 1/);
    for (const text of [r.stdout, explained.stdout, refused.stderr]) assert.doesNotMatch(text, /[^\x00-\x7f]/);
  });

  it('a bad file is a one-line error with a location', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'tests:\n  - name: x\n    expect: maybe\n');
    const r = await runCli(['test', join(dir, 'bad.yaml')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.yaml:3:13: unknown action "maybe"/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });
});

describe('rampart-learn lint', () => {
  const dir = fixtureDir({ 'p.yaml': GUARD_POLICY });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('clean policy: exit 0', async () => {
    const r = await runCli(['lint', join(dir, 'p.yaml')]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'no problems found\n');
  });

  it('errors and warnings with file:line:col; exit 1 on errors', async () => {
    const f = join(dir, 'bad.yaml');
    writeFileSync(f, 'policies:\n  - name: a\n    rules:\n      - action: log\n      - action: allow\n        when: { command_match: "x" }\n');
    const r = await runCli(['lint', f]);
    assert.equal(r.code, 1);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      `${f}:4:9: warning: rule 0 of "a" has an empty "when" and matches every call in scope (write "default: true" if that is meant)`,
      `${f}:4:17: warning: "log" is a deprecated alias of "watch" (write watch)`,
      `${f}:6:17: unknown key "command_match" in when (did you mean command_matches?)`,
      '1 error, 2 warnings',
    ]);
  });

  it('warnings only: exit 0; --json gives offsets', async () => {
    const f = join(dir, 'warn.yaml');
    writeFileSync(f, 'policies:\n  - name: a\n    rules:\n      - action: log\n        when: { default: true }\n');
    const r = await runCli(['lint', f, '--json']);
    assert.equal(r.code, 0);
    const d = JSON.parse(r.stdout.trim());
    assert.equal(d.code, 'deprecated-log');
    assert.deepEqual([d.line, d.column, d.offset, d.endOffset], [4, 17, 49, 52]);
  });

  it('a directory: every file, and names duplicated across files', async () => {
    const d = fixtureDir({ 'a.yaml': 'policies:\n  - name: x\n    rules: [{ action: deny, when: { default: true } }]\n', 'b.yaml': 'policies:\n  - name: x\n' });
    const r = await runCli(['lint', d]);
    rmSync(d, { recursive: true, force: true });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /b\.yaml:2:11: duplicate policy name "x"/);
  });

  it('a missing file: exit 2 with one line', async () => {
    const r = await runCli(['lint', join(dir, 'nope.yaml')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope\.yaml:1:1: cannot read policy: no such file or directory/);
  });
});
