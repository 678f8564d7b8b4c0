import './vscode-stub';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../src/core/learn/merge';
import { describeAlternative, emptySuggestions, learnedTextEdits, withAlternative } from '../../src/extension/learnedEdits';

const POLICY = `# keep me
version: "1"
policies:
  # and me
  - name: block
    match: { tool: ["exec"] }
    rules:
      - action: deny
        when: { command_matches: ["rm -rf *"] }
`;

const entry = {
  pattern: 'git *', count: 8, examples: ['git status'],
  alternatives: [
    { pattern: 'git status', kind: 'exact' as const, covers: 3 },
    { pattern: 'git *', kind: 'prefix' as const, covers: 8 },
  ],
};

test('an alternative becomes a minimal insertion that keeps every comment', () => {
  const { edits, added } = learnedTextEdits(POLICY, emptySuggestions(), [{ kind: 'exec', entry: withAlternative(entry, entry.alternatives[0]) }], 'rampart.yaml');
  assert.ok(edits.length >= 1);
  assert.ok(edits.every((e) => e.length === 0), 'only insertions');
  const after = applyEdits(POLICY, edits);
  assert.ok(after.startsWith(POLICY.trimEnd()), 'the original text is untouched');
  assert.match(after, /learned-exec[\s\S]*git status/);
  assert.doesNotMatch(after, /git \*/);
  assert.deepEqual(added, ['learned-exec: git status']);
  // Applying the same rule again changes nothing, so the quick fix disappears.
  assert.deepEqual(learnedTextEdits(after, emptySuggestions(), [{ kind: 'exec', entry: withAlternative(entry, entry.alternatives[0]) }], 'rampart.yaml').edits, []);
});

test('quick fix titles name the pattern and its coverage', () => {
  assert.equal(describeAlternative('exec', entry.alternatives[1]), 'Allow `git *` (covers 8 observed calls)');
  assert.equal(describeAlternative('exec', entry.alternatives[0]), 'Allow exactly `git status`');
  assert.equal(describeAlternative('fetch', { pattern: '*.github.com', kind: 'glob', covers: 1 }), 'Allow fetching from `*.github.com` (covers 1 observed call)');
});
