import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadTestTarget, parsePolicyText, runPolicyTests, PolicyError } from '../../src/core/policy/index';

const POLICY = `default_action: allow
policies:
  - name: guard
    rules:
      - action: deny
        when: { command_matches: ["rm -rf /"] }
        message: "destructive: rm of the root"
tests:
  - name: root
    params: { command: "rm -rf /" }
    expect: deny
    expect_message: "destructive*"
  - name: wrong message
    params: { command: "rm -rf /" }
    expect: deny
    expect_message: "nope*"
  - name: ls
    params: { command: ls }
    expect: deny
  - name: read log
    tool: read
    params: { path: /tmp/x }
    expect: log
`;

describe('runPolicyTests', () => {
  const set = parsePolicyText(POLICY, 'p.yaml').set!;

  it('passes and fails cases by action and message glob', () => {
    const r = runPolicyTests(set, set.tests);
    assert.deepEqual(r.results.map((x) => [x.case.name, x.passed]), [
      ['root', true],
      ['wrong message', false],
      ['ls', false],
      ['read log', false],
    ]);
    assert.equal(r.passed, 1);
    assert.equal(r.failed, 3);
    assert.match(r.results[1]!.failure!, /message "destructive: rm of the root" does not match "nope\*"/);
    assert.equal(r.results[2]!.failure, 'expected deny, got allow (default_action)');
    assert.equal(r.results[3]!.case.expect, 'watch', 'expect: log means watch');
    assert.equal(r.results[0]!.case.line, 9);
  });

  it('--run filters by name glob', () => {
    const r = runPolicyTests(set, set.tests, { run: 'r*' });
    assert.deepEqual(r.results.map((x) => x.case.name), ['root', 'read log']);
    assert.equal(r.skipped, 2);
  });
});

describe('loadTestTarget', () => {
  const dir = mkdtempSync(join(tmpdir(), 'policy-suite-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'pol'));
  writeFileSync(join(dir, 'pol', 'p.yaml'), POLICY);

  it('a policy file runs its inline tests', () => {
    const t = loadTestTarget(join(dir, 'pol', 'p.yaml'));
    assert.equal(t.cases.length, 4);
  });

  it('a suite file runs its tests against the policy it names, relative to itself', () => {
    const suite = join(dir, 'suite.yaml');
    writeFileSync(suite, 'policy: pol/p.yaml\ntests:\n  - name: s\n    params: { command: "rm -rf /" }\n    expect: deny\n');
    const t = loadTestTarget(suite);
    assert.deepEqual(t.cases.map((c) => c.name), ['s']);
    assert.equal(runPolicyTests(t.set, t.cases).failed, 0);
  });

  it('a suite with unknown keys or a missing policy is an error with a location', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'policy: pol/p.yaml\ntest: []\n');
    assert.throws(() => loadTestTarget(bad), /bad\.yaml:2:1: unknown key "test" in the test suite \(did you mean tests\?\)/);
    const missing = join(dir, 'missing.yaml');
    writeFileSync(missing, 'policy: nowhere.yaml\ntests: []\n');
    assert.throws(() => loadTestTarget(missing), (e: unknown) => e instanceof PolicyError && /missing\.yaml:1:9: policy nowhere\.yaml cannot be read/.test(e.message));
  });
});
