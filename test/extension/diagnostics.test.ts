import './vscode-stub';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintDiagnostics } from '../../src/extension/lintDiagnostics';
import { anchorOffsets, findingMessage, learnedDiagnostics } from '../../src/extension/learnedDiagnostics';
import type { Suggestions } from '../../src/core/learn/types';
import * as vscode from 'vscode';

const POLICY = `# team policy
version: "1"
default_action: ask
policies:
  - name: block-danger
    match: { tool: ["exec"] }
    rules:
      - action: deny
        when:
          command_matches: ["rm -rf *"]
`;

test('lint errors land on the exact range of the offending key', () => {
  const text = POLICY.replace('command_matches', 'command_matchs');
  const diags = lintDiagnostics(text, '/ws/rampart.yaml');
  const bad = diags.find((d) => d.severity === vscode.DiagnosticSeverity.Error);
  assert.ok(bad, `expected an error, got ${JSON.stringify(diags.map((d) => d.message))}`);
  const line = text.split('\n').findIndex((l) => l.includes('command_matchs'));
  assert.equal(bad.range.start.line, line);
  assert.equal(bad.range.start.character, text.split('\n')[line].indexOf('command_matchs'));
  assert.match(bad.message, /command_matches/); // the "did you mean" hint is kept
  assert.equal(bad.source, 'rampart');
});

test('a valid policy has no lint errors; malformed YAML reports one with a location', () => {
  assert.equal(lintDiagnostics(POLICY, 'p.yaml').filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length, 0);
  const broken = 'policies:\n  - name: [unclosed\n';
  const diags = lintDiagnostics(broken, 'p.yaml');
  assert.ok(diags.length >= 1);
  assert.ok(diags[0].range.start.line <= 2);
});

function suggestions(): Suggestions {
  const entry = (pattern: string, count: number, examples: string[]) => ({
    pattern, count, examples,
    alternatives: [{ pattern: examples[0], kind: 'exact' as const, covers: 1 }, { pattern, kind: 'prefix' as const, covers: count }],
  });
  return {
    exec: [entry('git *', 8, ['git status', 'git diff', 'git log'])],
    read: [entry('src/**', 3, ['src/a.ts'])],
    write: [], fetch: [],
    warnings: [{ tool: 'read', raw: '~/.ssh/id_rsa', reason: 'matches a credential path', count: 2 }],
    handled: [], tests: [],
    stats: { totalEvents: 11, byTool: {}, durationMs: 0, agent: 'a', session: 's', distinctCommands: 3, badLines: { count: 0, samples: [] } },
  };
}

test('suggestions anchor on `policies:` until a learned-<tool> policy exists', () => {
  const [s, e] = anchorOffsets(POLICY, 'exec');
  assert.equal(POLICY.slice(s, e), 'policies');
  const withLearned = POLICY + '  - name: learned-exec\n    rules: []\n';
  const [s2, e2] = anchorOffsets(withLearned, 'exec');
  assert.equal(withLearned.slice(s2, e2), 'learned-exec');
  assert.deepEqual(anchorOffsets('not: [valid', 'exec'), [0, 0]);
});

test('learned diagnostics: messages, dismissals, related examples, warnings without fixes', () => {
  const uri = vscode.Uri.file('/audit/a.jsonl');
  const { findings, warnings } = learnedDiagnostics({
    text: POLICY,
    suggestions: suggestions(),
    dismissed: new Set(['read:src/**']),
    exampleLocation: (_k, ex) => new vscode.Location(uri, new vscode.Range(new vscode.Position(ex.length, 0), new vscode.Position(ex.length, 0))),
  });
  assert.equal(findings.length, 1);
  const f = findings[0];
  assert.equal(f.diagnostic.message, 'Agent ran 8 `git …` commands that this policy does not allow');
  assert.equal(f.diagnostic.severity, vscode.DiagnosticSeverity.Information);
  assert.equal(f.diagnostic.range.start.line, 3);
  assert.deepEqual(f.diagnostic.relatedInformation?.map((r) => r.message), ['observed: git status', 'observed: git diff', 'observed: git log']);
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0].severity, vscode.DiagnosticSeverity.Warning);
  assert.match(warnings[0].message, /~\/\.ssh\/id_rsa.*2×.*Not suggested/);
  assert.equal(findingMessage('fetch', { pattern: '*.github.com', count: 1, examples: [], alternatives: [] }), 'Agent fetched 1 URL on `*.github.com` that this policy does not allow');
  assert.equal(
    findingMessage('exec', { pattern: 'head*', count: 0, examples: [], alternatives: [], note: 'Not observed: suggested with the inspection tools the agent ran (ls, cat)' }),
    '`head*`: Not observed: suggested with the inspection tools the agent ran (ls, cat)',
  );
});

test('rules that decided none of the recorded calls get a hint on their action', async () => {
  const { unusedRuleDiagnostics } = await import('../../src/extension/ruleHits');
  const { LineIndex } = await import('../../src/extension/ranges');
  const text = POLICY + `  - name: allow-basics
    match: { tool: ["exec"] }
    rules:
      - action: allow
        when:
          command_matches: ["ls", "pwd"]
`;
  const calls = [{ tool: 'exec', params: { command: 'ls' } }, { tool: 'exec', params: { command: 'git status' } }];
  const hints = unusedRuleDiagnostics(text, '/ws/rampart.yaml', new LineIndex(text), calls);
  assert.deepEqual(hints.map((h) => h.message), ['Rule 0 of "block-danger" never matched in 2 recorded calls']);
  assert.equal(hints[0].severity, vscode.DiagnosticSeverity.Hint);
  assert.equal(text.split('\n')[hints[0].range.start.line].trim(), '- action: deny');
  const fired = unusedRuleDiagnostics(text, '/ws/rampart.yaml', new LineIndex(text), [...calls, { tool: 'exec', params: { command: 'rm -rf /tmp/x' } }]);
  assert.deepEqual(fired, []);
  assert.deepEqual(unusedRuleDiagnostics('policies: [', '/ws/rampart.yaml', new LineIndex('policies: ['), calls), []);
});

test('under default_action: allow a suggestion does not claim the policy refuses the calls', () => {
  const allowAll = POLICY.replace('default_action: ask', 'default_action: allow');
  const { findings } = learnedDiagnostics({ text: allowAll, suggestions: suggestions(), dismissed: new Set() });
  const messages = findings.map((f) => f.diagnostic.message);
  assert.ok(messages.length >= 1);
  for (const m of messages) {
    assert.doesNotMatch(m, /does not allow/);
    assert.match(m, /only `default_action: allow` lets through; a rule keeps them allowed if the default changes$/);
  }
  // Without default_action the policy denies what no rule allows.
  const noDefault = POLICY.replace('default_action: ask\n', '');
  assert.match(learnedDiagnostics({ text: noDefault, suggestions: suggestions(), dismissed: new Set() }).findings[0].diagnostic.message, /that this policy does not allow$/);
});

test('a dangerous command warning says "not suggested" once, as the CLI summary does', async () => {
  const { Analyzer } = await import('../../src/core/learn/analyzer');
  const { renderSummary } = await import('../../src/core/learn/format-summary');
  const s = new Analyzer({ minFrequency: 1 }).analyze([{ tool: 'exec', params: { command: 'rm -rf build' } }]);
  const { warnings } = learnedDiagnostics({ text: POLICY, suggestions: s, dismissed: new Set() });
  assert.equal(warnings.length, 1);
  assert.equal(
    warnings[0].message,
    'Agent ran `rm -rf build`: dangerous form: rm is destructive, privileged or a raw network tool. Not suggested: review why it was needed, and allow it by hand if it must run.',
  );
  // The CLI's warning heading says "NOT suggested"; its line gives the same reason.
  const summary = renderSummary(s, { color: false });
  assert.match(summary, /WARNING \(observed but NOT suggested[^\n]*\n[^\n]*rm -rf build {2}\(dangerous form: rm is destructive, privileged or a raw network tool; 1x\)/);
});
