import './vscode-stub';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../src/core/learn/merge';
import { emptySuggestions } from '../../src/core/learn/types';
import { defaultForm, describeAdded, describeAlternative, insertedSpan, learnedTextEdits, pendingSuggestions, reviewable, withAlternative } from '../../src/extension/learnedEdits';
import type { PatternEntry } from '../../src/core/learn/types';

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
  // A companion was never observed: its title says so, as its diagnostic does, instead of "covers 0".
  assert.equal(describeAlternative('exec', { pattern: 'echo*', kind: 'glob', covers: 0 }), 'Allow `echo*` (not observed)');
});

/** Two exec entries as the analyzer makes them: each carries the guards of both, its default alternative only its own. */
function sharedGuards(): { git: PatternEntry; cat: PatternEntry } {
  const gitGuards = ['git push*', 'git * --exec*'];
  const catGuards = ['cat * > *'];
  const all = [...gitGuards, ...catGuards];
  return {
    git: { pattern: 'git *', count: 2, examples: ['git status'], notMatches: all, alternatives: [{ pattern: 'git *', kind: 'prefix', covers: 2, notMatches: gitGuards }] },
    cat: { pattern: 'cat *', count: 1, examples: ['cat a'], notMatches: all, alternatives: [{ pattern: 'cat *', kind: 'prefix', covers: 1, notMatches: catGuards }] },
  };
}

test('a picked suggestion brings its own guards only, and the merge counts them', () => {
  const { git, cat } = sharedGuards();
  const base = { ...emptySuggestions(), exec: [git, cat] };
  const { edits, added, guards } = learnedTextEdits(POLICY, base, [defaultForm('exec', git)], 'rampart.yaml');
  const after = applyEdits(POLICY, edits);
  assert.match(after, /git push\*/);
  assert.doesNotMatch(after, /cat \*/, 'another tool\'s guard came along');
  assert.deepEqual(added, ['learned-exec: git *']);
  assert.equal(guards, 2);
  // Adding cat later merges its pattern and its one guard into the same rule.
  const more = learnedTextEdits(after, base, [defaultForm('exec', cat)], 'rampart.yaml');
  assert.deepEqual([more.added, more.guards], [['learned-exec: cat *'], 1]);
  assert.equal(describeAdded(added, guards), '`git *` with 2 guards against dangerous forms');
  assert.equal(describeAdded(['learned-exec: a', 'learned-exec: b'], 1800), '2 patterns with 1,800 guards against dangerous forms');
});

test('the rules to review leave out what the file holds already and what was dismissed', () => {
  const { git, cat } = sharedGuards();
  const base = { ...emptySuggestions(), exec: [git, cat], read: [{ pattern: 'docs/**', count: 1, examples: ['docs/a.md'], alternatives: [{ pattern: 'docs/**', kind: 'glob' as const, covers: 1 }] }] };
  const ids = (text: string, dismissed: string[] = []) => reviewable(text, 'rampart.yaml', base, new Set(dismissed)).map((p) => `${p.kind}:${p.entry.pattern}`);
  assert.deepEqual(ids(POLICY), ['exec:git *', 'exec:cat *', 'read:docs/**']);
  const withGit = applyEdits(POLICY, learnedTextEdits(POLICY, base, [defaultForm('exec', git)], 'rampart.yaml').edits);
  assert.deepEqual(ids(withGit, ['read:docs/**']), ['exec:cat *']);
});

test('a suggestion is pending until its learned-* policy has it, however the file spells it; a guard or another policy does not count', () => {
  const withRule = (matches: string, notMatches = '[]', name = 'learned-exec') => `${POLICY}  - name: ${name}
    match: { tool: [exec] }
    rules:
      - action: allow
        when:
          command_matches: ${matches}
          command_not_matches: ${notMatches}
`;
  const pending = (text: string) => pendingSuggestions(text, 'rampart.yaml', { ...emptySuggestions(), exec: [entry] }).exec.length === 1;
  assert.equal(pending(POLICY), true);
  assert.equal(pending(withRule('["git *"]')), false);
  assert.equal(pending(withRule('["git \\x2a"]'.replace('git \\x2a', 'git \\u002a'))), false, 'an escaped spelling');
  assert.equal(pending(withRule('\n            - git status')), false, 'an alternative in a block list');
  assert.equal(pending(withRule('["ls *"]', '["git *", "git status"]')), true, 'a guard is not a rule');
  assert.equal(pending(withRule('["git *"]', '[]', 'team-rules')), true, 'only learned-* policies take learned rules');
  assert.equal(pending('policies: [unclosed'), true, 'a file the merge cannot read keeps its suggestions');
});

test('the inserted span is where the edits put their text, without the line breaks around it', () => {
  const text = 'a\nb\nc\n';
  const edits = [{ offset: 2, length: 0, newText: '\n  x\n' }, { offset: 4, length: 1, newText: 'yy\n' }];
  const after = applyEdits(text, edits);
  const span = insertedSpan(edits)!;
  assert.equal(after.slice(span.start, span.end), 'x\nb\nyy');
  assert.equal(insertedSpan([]), undefined);
});

test('learned rules under default_action: allow are said to change nothing today; other defaults, and a broken policy, say nothing', async () => {
  const { defaultAllowNote } = await import('../../src/extension/learnCommands');
  assert.match(defaultAllowNote('version: "1"\ndefault_action: allow\npolicies: []\n', 'p.yaml'), /allows by default, so they change nothing today/);
  for (const text of ['version: "1"\ndefault_action: deny\npolicies: []\n', 'version: "1"\npolicies: []\n', 'default_action: watch\n', 'policies: [\n']) {
    assert.equal(defaultAllowNote(text, 'p.yaml'), '', text);
  }
});
