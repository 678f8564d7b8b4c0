import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, after } from 'node:test';
import { loadPolicy, parsePolicyText, PolicyError, layerPolicies, type PolicyDiagnostic } from '../../src/core/policy/index';

function errors(text: string): PolicyDiagnostic[] {
  return parsePolicyText(text, 'p.yaml').diagnostics.filter((d) => d.severity === 'error');
}

/** The exact text a diagnostic points at. */
function at(text: string, d: PolicyDiagnostic): string {
  return text.slice(d.offset, d.endOffset);
}

const VALID = `version: "1"
default_action: allow
policies:
  - name: block-rm
    description: no rm
    priority: 10
    enabled: true
    match:
      tool: exec
      agent: ["claude-*", aider]
    rules:
      - action: deny
        when:
          command_matches: ["rm -rf *"]
        message: no
      - action: log
        when:
          command_contains: sudo
tests:
  - name: rm denied
    tool: exec
    params: { command: "rm -rf /" }
    expect: deny
    expect_message: "n*"
`;

describe('parsePolicyText: valid files', () => {
  it('compiles policies, tests and default_action', () => {
    const { set, diagnostics } = parsePolicyText(VALID, 'p.yaml');
    assert.ok(set);
    assert.equal(set.defaultAction, 'allow');
    assert.equal(set.policies.length, 1);
    const p = set.policies[0]!;
    assert.equal(p.name, 'block-rm');
    assert.equal(p.effectivePriority, 10);
    assert.deepEqual(p.match.agent, ['claude-*', 'aider']);
    assert.equal(p.rules[1]!.action, 'watch', 'log is normalised to watch');
    assert.equal(set.tests.length, 1);
    assert.deepEqual(set.tests[0]!.params, { command: 'rm -rf /' });
    assert.equal(set.tests[0]!.expectMessage, 'n*');
    // the only diagnostic is the deprecation warning, on the value `log`
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity, at(VALID, d)]), [['deprecated-log', 'warning', 'log']]);
  });

  it('defaults: absent default_action is deny, omitted or 0 priority is 100', () => {
    const { set } = parsePolicyText('policies:\n  - name: a\n    priority: 0\n  - name: b\n', 'p.yaml');
    assert.equal(set!.defaultAction, 'deny');
    assert.deepEqual(set!.policies.map((p) => p.effectivePriority), [100, 100]);
  });

  it('an empty file is an empty policy set', () => {
    const { set, diagnostics } = parsePolicyText('# nothing\n', 'p.yaml');
    assert.equal(diagnostics.length, 0);
    assert.equal(set!.policies.length, 0);
  });

  it('sorts by priority ascending, load order breaking ties', () => {
    const { set } = parsePolicyText('policies:\n  - name: a\n  - name: b\n    priority: 5\n  - name: c\n    priority: 100\n', 'p.yaml');
    assert.deepEqual(set!.policies.map((p) => p.name), ['b', 'a', 'c']);
  });
});

describe('parsePolicyText: strictness', () => {
  it('unknown rule key: error on the key with a hint', () => {
    const text = 'policies:\n  - name: a\n    rules:\n      - action: deny\n        when:\n          command_match: "rm *"\n';
    const [d] = errors(text);
    assert.equal(d!.code, 'unknown-key');
    assert.equal(at(text, d!), 'command_match');
    assert.equal(d!.line, 6);
    assert.equal(d!.column, 11);
    assert.equal(d!.hint, 'did you mean command_matches?');
    assert.equal(d!.file, 'p.yaml');
  });

  it('a policy under tests: (or a test case under policies:) is one error saying where it belongs', () => {
    const text = [
      'policies:',
      '  - name: t',
      '    params: { command: ls }',
      '    expect: allow',
      'tests:',
      '  - name: appended',
      '    match: { tool: exec }',
      '    rules: [{ action: deny, when: { command_matches: ["x"] } }]',
      '  - name: a real test with a typo',
      '    expct: allow',
      '',
    ].join('\n');
    const ds = errors(text);
    assert.deepEqual(ds.map((d) => [d.code, d.line, d.message, d.hint]), [
      ['misplaced', 2, 'this item is a test case, but it is under "policies:"', 'move it under "tests:"'],
      ['misplaced', 6, 'this item is a policy, but it is under "tests:"', 'move it under "policies:"'],
      ['unknown-key', 10, 'unknown key "expct" in a test case', 'did you mean expect?'],
      ['missing-key', 9, 'test case has no "expect"', undefined],
    ]);
  });

  it('an unterminated quote is reported where it opened, not where the file ends', () => {
    for (const [text, line, column] of [
      ['policies:\n  - name: a\n    rules:\n      - action: deny\n        when:\n          command_matches: ["rm *]\n      - action: allow\n', 6, 29],
      ['policies:\n  - name: "a \\" b\n    rules: []\n', 2, 11],
      ["policies:\n  - name: 'it''s\n    rules: []\n", 2, 11],
    ] as const) {
      const [d] = errors(text);
      assert.equal(d!.code, 'yaml-syntax', text);
      assert.match(d!.message, /^Missing closing ["']quote: the value quoted here never ends$/);
      assert.deepEqual([d!.line, d!.column], [line, column], text);
    }
  });

  it('unknown action: error on the value, with synonym hint', () => {
    const text = 'policies:\n  - name: a\n    rules:\n      - action: block\n';
    const [d] = errors(text);
    assert.equal(d!.code, 'unknown-action');
    assert.equal(at(text, d!), 'block');
    assert.equal(d!.hint, 'did you mean deny?');
    assert.deepEqual([d!.line, d!.column, d!.endLine, d!.endColumn], [4, 17, 4, 22]);
  });

  it('typo in an action gets an edit-distance hint', () => {
    assert.equal(errors('default_action: alow\n')[0]!.hint, 'did you mean allow?');
  });

  it('unknown top-level and policy keys', () => {
    const text = 'polices: []\n';
    assert.equal(errors(text)[0]!.hint, 'did you mean policies?');
    const p = errors('policies:\n  - name: a\n    priorty: 3\n');
    assert.equal(p[0]!.code, 'unknown-key');
    assert.equal(p[0]!.hint, 'did you mean priority?');
  });

  it('wrong types point at the value', () => {
    const text = 'policies:\n  - name: a\n    priority: high\n    enabled: "yes"\n    rules:\n      - action: deny\n        when:\n          command_matches: {a: 1}\n';
    const errs = errors(text);
    assert.deepEqual(errs.map((e) => [e.code, at(text, e)]), [
      ['wrong-type', 'high'],
      ['wrong-type', '"yes"'],
      ['wrong-type', '{a: 1}'],
    ]);
    assert.match(errs[0]!.message, /priority must be a number, got string/);
  });

  it('a non-string entry in a pattern list points at the entry', () => {
    const text = 'policies:\n  - name: a\n    rules:\n      - action: deny\n        when:\n          path_matches: ["/etc/*", 42]\n';
    const [d] = errors(text);
    assert.equal(at(text, d!), '42');
  });

  it('duplicate policy names are errors on the second name', () => {
    const text = 'policies:\n  - name: a\n  - name: b\n  - name: a\n';
    const [d] = errors(text);
    assert.equal(d!.code, 'duplicate-policy');
    assert.equal(d!.line, 4);
    assert.equal(at(text, d!), 'a');
    assert.match(d!.message, /first defined at line 2/);
  });

  it('missing name, missing action, negative priority', () => {
    assert.equal(errors('policies:\n  - description: x\n')[0]!.code, 'missing-key');
    assert.equal(errors('policies:\n  - name: a\n    rules:\n      - message: x\n')[0]!.code, 'missing-key');
    assert.equal(errors('policies:\n  - name: a\n    priority: -1\n')[0]!.code, 'bad-priority');
  });

  it('bad version', () => {
    assert.equal(errors('version: "2"\n')[0]!.code, 'bad-version');
    assert.equal(errors('version: 1\n').length, 0);
  });

  it('duplicate mapping keys are errors', () => {
    const text = 'default_action: deny\ndefault_action: allow\n';
    const [d] = errors(text);
    assert.equal(d!.code, 'duplicate-key');
    assert.equal(d!.line, 2);
  });

  it('YAML syntax errors carry a location', () => {
    const [d] = errors('policies:\n  - name: "a\n');
    assert.equal(d!.code, 'yaml-syntax');
    assert.ok(d!.line >= 2);
  });

  it('brackets nested too deeply to parse are a plain error, not V8\'s stack message', () => {
    const [d] = errors(`policies: ${'['.repeat(5000)}\n`);
    assert.equal(d!.code, 'yaml-syntax');
    assert.equal(d!.message, 'the YAML is nested too deeply to read');
  });

  it('an alias is reported as an alias wherever a value is expected', () => {
    const text = 'policies:\n  - name: a\n    rules:\n      - action: &x deny\n        when: {command_matches: &p ["rm *"]}\n  - name: b\n    rules:\n      - action: *x\n        when: {command_matches: *p}\n';
    const errs = errors(text);
    assert.deepEqual(errs.map((e) => [e.code, e.line, e.message]), [
      ['alias', 8, 'action: YAML aliases are not supported in policies'],
      ['alias', 9, 'command_matches: YAML aliases are not supported in policies'],
    ]);
  });

  it('more than one document is an error at the second', () => {
    const text = 'policies: []\n---\npolicies: []\n';
    const [d] = errors(text);
    assert.equal(d!.code, 'multiple-documents');
    assert.equal(d!.line, 2);
  });

  it('a file over 1 MiB is an error', () => {
    const text = `# ${'x'.repeat(1024 * 1024)}\npolicies: []\n`;
    const [d] = errors(text);
    assert.equal(d!.code, 'too-large');
    assert.equal(parsePolicyText(text, 'p.yaml').set, undefined);
  });

  it('reports every error, not just the first', () => {
    const errs = errors('polices: []\ndefault_action: nope\nfoo: 1\n');
    assert.equal(errs.length, 3);
  });

  it('positions count UTF-16 characters (what editors use)', () => {
    const text = '# héllo — ✓ 😀\npolicies:\n  - name: a\n    rules:\n      - action: nope\n';
    const [d] = errors(text);
    assert.equal(at(text, d!), 'nope');
    assert.equal(d!.line, 5);
    assert.equal(d!.column, 17);
  });
});

describe('loadPolicy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'policy-load-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('throws PolicyError whose message is file:line:col', () => {
    const f = join(dir, 'bad.yaml');
    writeFileSync(f, 'policies:\n  - name: a\n    rules:\n      - action: block\n');
    assert.throws(() => loadPolicy(f), (e: unknown) => {
      assert.ok(e instanceof PolicyError);
      assert.match(e.message, new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:17: unknown action "block"`));
      assert.equal(e.diagnostics[0]!.code, 'unknown-action');
      return true;
    });
  });

  it('names the first error in the text, whatever order the checks found them in', () => {
    const f = join(dir, 'two.yaml');
    writeFileSync(f, 'version: "1"\npolicies:\n  - name: a\n    rules:\n      - action: deny\n        when: {command_match: ["rm *"]}\n    extra_key: 1\n');
    assert.throws(() => loadPolicy(f), /two\.yaml:6:16: unknown key "command_match" in when .*\(and 1 more error\)$/);
  });

  it('a missing file is a PolicyError, not a crash', () => {
    assert.throws(() => loadPolicy(join(dir, 'nope.yaml')), /nope\.yaml:1:1: cannot read policy: no such file or directory/);
  });

  it('a huge file is refused before it is read', () => {
    const f = join(dir, 'huge.yaml');
    writeFileSync(f, Buffer.alloc(1024 * 1024 + 1, 0x23));
    assert.throws(() => loadPolicy(f), /limit is 1 MiB/);
  });

  it('a device or a named pipe is refused without reading it (stat says 0 bytes for both)', () => {
    const link = join(dir, 'zero.yaml');
    symlinkSync('/dev/zero', link);
    assert.throws(() => loadPolicy(link), /zero\.yaml:1:1: cannot read policy: a device, not a file/);
    const fifo = join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    // Opening a pipe nobody writes to would block: this returning at all is half the test.
    assert.throws(() => loadPolicy(fifo), /pipe\.yaml:1:1: cannot read policy: a named pipe, not a file/);
  });

  it('invalid UTF-8 is an error at its line and column, not a silent U+FFFD', () => {
    const f = join(dir, 'latin1.yaml');
    writeFileSync(f, Buffer.concat([Buffer.from('version: "1"\npolicies:\n  - name: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    assert.throws(() => loadPolicy(f), /latin1\.yaml:3:14: invalid UTF-8 \(byte 0xe9\)/);
    const ok = join(dir, 'replacement.yaml');
    writeFileSync(ok, 'policies:\n  - name: "a \ufffd b"\n');
    assert.equal(loadPolicy(ok).policies[0]!.name, 'a \ufffd b');
  });

  it('a directory loads *.yaml and *.yml (as Rampart does) in name order; other files and folders are not policies; the first default_action wins', () => {
    const d = join(dir, 'set');
    mkdirSync(d);
    writeFileSync(join(d, 'b.yaml'), 'default_action: deny\npolicies:\n  - name: from-b\n');
    writeFileSync(join(d, 'a.yaml'), 'default_action: allow\npolicies:\n  - name: from-a\ntests:\n  - {name: t, params: {command: ls}, expect: allow}\n');
    writeFileSync(join(d, 'c.yml'), 'policies:\n  - name: from-c-yml\n');
    writeFileSync(join(d, 'c.yaml'), 'policies:\n  - name: from-c\n');
    writeFileSync(join(d, 'notes.txt'), 'not: loaded\n');
    mkdirSync(join(d, 'old.yaml'));
    const set = loadPolicy(d);
    assert.deepEqual(set.files.map((f) => f.slice(d.length + 1)), ['a.yaml', 'b.yaml', 'c.yaml', 'c.yml']);
    assert.equal(set.defaultAction, 'allow');
    assert.deepEqual(set.policies.map((p) => p.name), ['from-a', 'from-b', 'from-c', 'from-c-yml']);
    assert.equal(set.tests.length, 1);
  });

  it('duplicate names across files in a directory are errors in the later file', () => {
    const d = join(dir, 'dup');
    mkdirSync(d);
    writeFileSync(join(d, '1.yaml'), 'policies:\n  - name: same\n');
    writeFileSync(join(d, '2.yaml'), 'policies:\n  - name: other\n  - name: same\n');
    assert.throws(() => loadPolicy(d), (e: unknown) => {
      assert.ok(e instanceof PolicyError);
      const dup = e.diagnostics.find((x) => x.code === 'duplicate-policy')!;
      assert.ok(dup.file.endsWith('2.yaml'));
      assert.equal(dup.line, 3);
      return true;
    });
  });

  it('an empty directory is an error', () => {
    const d = join(dir, 'empty');
    mkdirSync(d);
    assert.throws(() => loadPolicy(d), /no \*\.yaml/);
  });
});

describe('layerPolicies', () => {
  it('adds the overlay policies, re-sorted by priority; the first default_action set wins', () => {
    const base = parsePolicyText('default_action: allow\npolicies:\n  - name: std\n', 'std.yaml').set!;
    const overlay = parsePolicyText('default_action: deny\npolicies:\n  - name: learned\n    priority: 50\n', 'l.yaml').set!;
    const set = layerPolicies(base, overlay);
    assert.deepEqual(set.policies.map((p) => p.name), ['learned', 'std']);
    assert.equal(set.defaultAction, 'allow');
    assert.deepEqual(set.files, ['std.yaml', 'l.yaml']);
    const noDefault = parsePolicyText('policies:\n  - name: std\n', 'std.yaml').set!;
    assert.equal(layerPolicies(noDefault, overlay).defaultAction, 'deny');
  });

  it('refuses a duplicate name', () => {
    const base = parsePolicyText('policies:\n  - name: x\n', 'a.yaml').set!;
    const overlay = parsePolicyText('policies:\n  - name: x\n', 'b.yaml').set!;
    assert.throws(() => layerPolicies(base, overlay), PolicyError);
  });
});
