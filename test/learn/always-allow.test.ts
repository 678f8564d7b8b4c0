import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { alwaysAllow, wholeEdit } from '../../src/core/learn/always-allow';
import { literalGlob } from '../../src/core/glob/index';
import { applyEdits } from '../../src/core/learn/merge';
import { evaluate, lintPolicyText, parsePolicyText, shippedPolicyPath } from '../../src/core/policy/index';

const STANDARD = readFileSync(shippedPolicyPath('standard'), 'utf8');
const actionOf = (text: string, command: string) => evaluate(parsePolicyText(text, 'rampart.yaml').set!, { tool: 'exec', params: { command } }).action;

describe('always allow (core/learn/always-allow.ts)', () => {
  it('makes the command an exception to the rule that asked, so the next call is not asked again (an allow rule would not outrank the ask)', () => {
    assert.equal(actionOf(STANDARD, 'sudo apt update'), 'ask');
    const r = alwaysAllow(STANDARD, 'rampart.yaml', 'sudo apt update');
    assert.equal(r.decision.action, 'allow');
    assert.equal(r.refusal, undefined);
    assert.equal(actionOf(r.text, 'sudo apt update'), 'allow');
    assert.match(r.changes.join('\n'), /exception added to privilege-escalation rule \d+: sudo apt update/);
    // Only that command: other sudo calls are still asked about, and denies still deny.
    assert.equal(actionOf(r.text, 'sudo apt install curl'), 'ask');
    assert.equal(actionOf(r.text, 'sudo apt update; sudo rm -rf /etc'), 'deny');
    assert.deepEqual(lintPolicyText(r.text, 'rampart.yaml').filter((d) => d.severity === 'error'), []);
    // Comments and the rest of the file are kept: the change is lines added, nothing removed.
    const removed = STANDARD.split('\n').filter((line) => !r.text.split('\n').includes(line));
    assert.deepEqual(removed, []);
  });

  it('is idempotent', () => {
    const once = alwaysAllow(STANDARD, 'rampart.yaml', 'npm publish --access public');
    const twice = alwaysAllow(once.text, 'rampart.yaml', 'npm publish --access public');
    assert.deepEqual(twice.changes, []);
    assert.equal(twice.text, once.text);
  });

  it('names every spelling the rule matched in a compound line, and each asking rule', () => {
    const line = 'sudo apt update && npm publish';
    const r = alwaysAllow(STANDARD, 'rampart.yaml', line);
    assert.equal(actionOf(r.text, line), 'allow');
    assert.equal(r.changes.length, 2, r.changes.join('\n'));
    assert.equal(actionOf(r.text, 'npm publish --tag next'), 'ask');
  });

  it('escapes glob characters, so the exception is exact', () => {
    assert.equal(literalGlob('npm publish --tag beta*'), 'npm publish --tag beta\\*');
    const r = alwaysAllow(STANDARD, 'rampart.yaml', 'npm publish --tag beta*');
    assert.equal(actionOf(r.text, 'npm publish --tag beta*'), 'allow');
    assert.equal(actionOf(r.text, 'npm publish --tag beta-and-more'), 'ask');
  });

  it('never narrows a deny, and says why', () => {
    const r = alwaysAllow(STANDARD, 'rampart.yaml', 'rm -rf ~');
    assert.equal(r.decision.action, 'deny');
    assert.match(r.refusal ?? '', /denied by destructive-delete/);
    assert.equal(r.text, STANDARD);
  });

  it('adds an exact allow rule when only default_action asks, and edits flow mappings in place', () => {
    const r = alwaysAllow('version: "1"\ndefault_action: ask\npolicies: []\n', 'x.yaml', 'ls -la | wc -l');
    assert.equal(r.decision.action, 'allow');
    assert.equal(actionOf(r.text, 'ls -la | wc -l'), 'allow');
    assert.equal(actionOf(r.text, 'ls -la | wc -c'), 'ask');
    const flow = 'version: "1"\ndefault_action: allow\npolicies:\n  - name: p\n    rules:\n      - { action: ask, when: { command_matches: ["npm publish*"] } }\n';
    const f = alwaysAllow(flow, 'x.yaml', 'npm publish --dry-run');
    assert.equal(f.text, flow.replace('["npm publish*"] }', '["npm publish*"], command_not_matches: [npm publish --dry-run] }'));
  });

  it('refuses to narrow a rule that asks about every command', () => {
    const r = alwaysAllow('version: "1"\npolicies:\n  - name: p\n    rules:\n      - action: ask\n', 'x.yaml', 'ls');
    assert.match(r.refusal ?? '', /asks about every command/);
    assert.deepEqual(r.changes, []);
  });

  it('turns two texts into one edit spanning their difference', () => {
    const before = 'a\nb\nc\n';
    const after = 'a\nb2\nc\nd\n';
    assert.equal(applyEdits(before, [wholeEdit(before, after)]), after);
    assert.deepEqual(wholeEdit(before, before), { offset: before.length, length: 0, newText: '' });
  });
});
