import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintPolicyPath, lintPolicyText, type PolicyDiagnostic } from '../../src/core/policy/index';

const lint = (text: string) => lintPolicyText(text, 'p.yaml');
const codes = (ds: PolicyDiagnostic[]) => ds.map((d) => `${d.severity}:${d.code}`);
const at = (text: string, d: PolicyDiagnostic) => text.slice(d.offset, d.endOffset);

function rules(body: string, head = 'default_action: deny\n'): string {
  return `${head}policies:\n  - name: p\n    rules:\n${body}`;
}

describe('lintPolicyText', () => {
  it('a clean policy has no diagnostics', () => {
    assert.deepEqual(lint(rules('      - action: deny\n        when: { command_matches: ["rm -rf /"] }\n')), []);
  });

  it('includes loader errors with hints', () => {
    const text = rules('      - action: block\n        when: { comand_matches: ["x"] }\n');
    const ds = lint(text);
    assert.deepEqual(codes(ds), ['error:unknown-action', 'error:unknown-key']);
    assert.equal(ds[1]!.hint, 'did you mean command_matches?');
    assert.equal(at(text, ds[1]!), 'comand_matches');
  });

  it('deprecated log', () => {
    const text = rules('      - action: log\n        when: { default: true }\n');
    const [d] = lint(text);
    assert.equal(d!.code, 'deprecated-log');
    assert.equal(at(text, d!), 'log');
  });

  it('empty when (explicit or absent), but not default: true', () => {
    const text = rules('      - action: deny\n        when: {}\n');
    const ds = lint(text);
    assert.deepEqual(codes(ds), ['warning:empty-when']);
    assert.equal(at(text, ds[0]!), '{}');
    assert.deepEqual(codes(lint(rules('      - action: deny\n'))), ['warning:empty-when']);
    assert.deepEqual(lint(rules('      - action: deny\n        when: { default: true }\n')), []);
  });

  it('rules shadowed by an earlier catch-all', () => {
    const text = rules('      - action: deny\n        when: { default: true }\n      - action: allow\n        when: { command_matches: ["ls"] }\n');
    const ds = lint(text);
    assert.deepEqual(codes(ds), ['warning:shadowed-rule']);
    assert.equal(ds[0]!.line, 7);
    assert.match(ds[0]!.message, /rule 1 of "p" never runs: rule 0/);
  });

  it('an allow and a deny over the same pattern in one policy', () => {
    const text = rules(
      '      - action: deny\n        when: { command_matches: ["curl *"] }\n      - action: allow\n        when: { command_matches: ["git *", "curl *"] }\n',
    );
    const ds = lint(text);
    assert.deepEqual(codes(ds), ['warning:allow-deny-conflict']);
    assert.equal(ds[0]!.offset, text.lastIndexOf('"curl *"'));
  });

  it('globs that can never match', () => {
    const text = rules(
      [
        '      - action: deny',
        '        when: { domain_matches: ["Evil.com", "https://x.com", "x.com."] }',
        '      - action: allow',
        '        when: { path_matches: ["src/../secret/**", "/work/", "**/ok/**"] }',
        '      - action: deny',
        '        when: { command_matches: [""] }',
        '',
      ].join('\n'),
    );
    const ds = lint(text);
    assert.deepEqual(
      ds.map((d) => at(text, d)),
      ['"Evil.com"', '"https://x.com"', '"x.com."', '"src/../secret/**"', '"/work/"', '""'],
    );
    assert.ok(ds.every((d) => d.code === 'never-matches'));
    assert.equal(ds[0]!.hint, 'write evil.com');
  });

  it('a backslash escaping a glob character is no literal backslash; a literal one can never match', () => {
    const text = rules('      - action: allow\n        when: { path_matches: ["app/\\\\[id\\\\]/page.tsx", "C:\\\\\\\\work\\\\*"] }\n');
    const ds = lint(text);
    assert.deepEqual(ds.map((d) => at(text, d)), ['"C:\\\\\\\\work\\\\*"']);
  });

  it('conditions the policy tools never carry', () => {
    const text = 'policies:\n  - name: p\n    match: { tool: [read] }\n    rules:\n      - action: deny\n        when: { command_matches: ["rm *"] }\n';
    assert.deepEqual(codes(lint(text)), ['warning:never-matches']);
    const mixed = rules('      - action: deny\n        when: { command_matches: ["x"], path_matches: ["/y"] }\n');
    assert.deepEqual(codes(lint(mixed)), ['warning:never-matches']);
  });

  it('*_not_matches without its positive partner', () => {
    const text = rules('      - action: deny\n        when: { command_not_matches: ["git *"] }\n');
    const [d] = lint(text);
    assert.equal(d!.code, 'orphan-not-matches');
    assert.equal(at(text, d!), '"git *"');
  });

  it('default_action: allow with no deny rule', () => {
    const text = rules('      - action: ask\n        when: { command_matches: ["sudo *"] }\n', 'default_action: allow\n');
    const [d] = lint(text);
    assert.equal(d!.code, 'allow-without-deny');
    assert.equal(at(text, d!), 'allow');
    assert.deepEqual(lint(rules('      - action: deny\n        when: { command_matches: ["x"] }\n', 'default_action: allow\n')), []);
  });

  it('an empty policy, or one with only default_action deny, refuses every call: a warning says so', () => {
    for (const text of ['', '# nothing yet\n', 'version: "1"\ndefault_action: deny\n']) {
      const ds = lint(text);
      assert.deepEqual(ds.map((d) => [d.code, d.severity]), [['no-policies', 'warning']], JSON.stringify(text));
    }
    // Written out, an empty list is meant (a fragment that learned nothing); a test suite names its policy elsewhere.
    assert.deepEqual(lint('version: "1"\npolicies: []\n'), []);
    assert.deepEqual(lint('policy: ../rampart.yaml\ntests:\n  - { name: t, params: { command: ls }, expect: allow }\n'), []);
    const withDefault = 'version: "1"\ndefault_action: deny\n';
    assert.equal(at(withDefault, lint(withDefault)[0]!), 'deny');
    // In a directory, a file of settings alone is one part of the policy.
    const dir = mkdtempSync(join(tmpdir(), 'rl-lint-dir-'));
    writeFileSync(join(dir, '00-settings.yaml'), withDefault);
    writeFileSync(join(dir, '10-rules.yaml'), 'policies:\n  - name: p\n    rules:\n      - action: allow\n        when: { command_matches: [ls] }\n');
    assert.deepEqual(lintPolicyPath(dir), []);
  });

  it('diagnostics come sorted by position', () => {
    const ds = lint(rules('      - action: log\n      - action: deny\n        when: {}\n'));
    const offsets = ds.map((d) => d.offset);
    assert.deepEqual(offsets, [...offsets].sort((a, b) => a - b));
  });
});
