import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderFragment } from '../../src/core/learn/format-yaml';
import { applyEdits, applyFragment, fragmentEdits, learnedRulePatterns, MergeError } from '../../src/core/learn/merge';
import type { Suggestions } from '../../src/core/learn/types';
import { evaluate, lintPolicyText, parsePolicyText } from '../../src/core/policy';

const FIXTURES = join(__dirname, '..', 'fixtures', 'learn');
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const suggestions = (): Suggestions => JSON.parse(read('suggestions-basic.json'));
const META = { generatedBy: 'test', generatedAt: new Date('2026-01-01T00:00:00Z'), durationMs: 1000, toolCalls: 3 };
const FRAGMENT = renderFragment(suggestions(), META);

function golden(name: string, actual: string): void {
  const file = join(FIXTURES, name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'));
}

test('merging into a commented policy matches the golden file and keeps every original line', () => {
  const before = read('policy-commented.yaml');
  const { text, added, diff } = applyFragment(before, FRAGMENT, { file: 'rampart.yaml' });
  golden('policy-commented.merged.yaml', text);
  // nothing of the original is changed or reordered: its lines form a subsequence of the result
  const out = text.split('\n');
  let i = 0;
  for (const line of before.split('\n')) {
    while (i < out.length && out[i] !== line) i++;
    assert.ok(i < out.length, `lost line: ${line}`);
    i++;
  }
  assert.match(text, /# Team policy — keep this comment!/);
  assert.match(text, /command_matches: \['rm -rf \/\*', "mkfs\*"\]   # odd quoting on purpose/);
  // the existing learned-exec only gains the new patterns, not a second copy of git status*
  assert.equal(text.split('"git status*"').length, 2);
  assert.ok(added.includes('learned-exec: npm run *'));
  assert.ok(!added.some((a) => a.includes('git status*')));
  assert.match(diff, /^\+\s+- "npm run \*" # 6 observed/m);
  assert.match(diff, /^--- rampart\.yaml/m);
  const { set, diagnostics } = parsePolicyText(text, 'rampart.yaml');
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
  assert.deepEqual(set!.policies.map((p) => p.name).sort(), ['block-destructive', 'learned-exec', 'learned-fetch', 'learned-read', 'learned-write']);
});

test('applying twice adds nothing', () => {
  const once = applyFragment(read('policy-commented.yaml'), FRAGMENT);
  const twice = applyFragment(once.text, FRAGMENT);
  assert.equal(twice.text, once.text);
  assert.deepEqual(twice.added, []);
  assert.equal(twice.diff, '');
});

test('select from Suggestions applies one pattern as one minimal insertion', () => {
  const before = read('policy-commented.yaml');
  const { edits, added } = fragmentEdits(before, suggestions(), { select: ['npm run *'] });
  assert.deepEqual(added, ['learned-exec: npm run *']);
  assert.equal(edits.length, 1);
  assert.equal(edits[0].length, 0);
  assert.equal(edits[0].newText, '          - "npm run *" # 6 observed (npm run build, npm run test)\n');
  assert.equal(before.slice(edits[0].offset - 25, edits[0].offset), "          - 'make build'\n");
  // a selected pattern of a policy the file lacks brings that policy with it, pruned
  const fetch = applyFragment(before, FRAGMENT, { select: ['pypi.org'] });
  assert.deepEqual(fetch.added, ['learned-fetch: pypi.org']);
  assert.doesNotMatch(fetch.text, /github/);
  assert.throws(() => applyFragment(before, FRAGMENT, { select: ['nope *'] }), /"nope \*" is not in the fragment/);
  // from fragment text the rule's guards that can meet the selected pattern come along, and no others
  const fromText = applyFragment(before, FRAGMENT, { select: ['python3 scripts/*'] });
  assert.deepEqual(fromText.added, ['learned-exec: python3 scripts/*']);
  assert.match(fromText.text, /command_not_matches:\n {10}# python3 \(2\)\n {10}- "python3 -c\*"\n {10}- "python3 -m pty\*"\n(?! {10}-)/);
  assert.doesNotMatch(fromText.text, /find \*-exec|# find/);
});

test('select from fragment text drops only the guards no selected pattern can meet, and the decisions stay those of the whole rule', () => {
  const s = suggestions();
  const generic = ['* sh *', '*.pem*'];
  s.exec = [
    { pattern: './build.sh *', notMatches: ['build.sh *--deploy*', './build.sh *--deploy*', ...generic], count: 1, examples: ['./build.sh --debug'], alternatives: [] },
    { pattern: 'git *', notMatches: ['git push*', 'git*--exec-path*', 'gitk*', ...generic], count: 2, examples: ['git status', 'git diff'], alternatives: [] },
    { pattern: 'python3 scripts/*', notMatches: ['python3 -c*', 'python3 scripts/\\*x*', ...generic], count: 1, examples: ['python3 scripts/a.py'], alternatives: [] },
  ];
  const fragment = renderFragment(s, META);
  const base = 'version: "1"\npolicies: []\n';
  const guardsOf = (text: string) => parsePolicyText(text, 'p.yaml').set!.policies.find((p) => p.name === 'learned-exec')!.rules[0].when.command_not_matches!.map((p) => p.value);
  const whole = applyFragment(base, fragment).text;
  // A program named by a path is matched on its name: the guards spelled either way stay.
  assert.deepEqual(guardsOf(applyFragment(base, fragment, { select: ['./build.sh *'] }).text), ['build.sh *--deploy*', './build.sh *--deploy*', ...generic]);
  // No string starts with both `git ` and `gitk`; `git*--exec-path*` may meet `git *`'s strings: kept.
  assert.deepEqual(guardsOf(applyFragment(base, fragment, { select: ['git *'] }).text), ['git push*', 'git*--exec-path*', ...generic]);
  const py = applyFragment(base, fragment, { select: ['python3 scripts/*'] }).text;
  assert.deepEqual(guardsOf(py), ['python3 -c*', 'python3 scripts/\\*x*', ...generic]);
  // The pruned rule decides every command its pattern could grant as the rule with all the guards does.
  const decide = (text: string, command: string) => evaluate(parsePolicyText(text, 'p.yaml').set!, { tool: 'exec', params: { command } }).action;
  const onlyPython = whole.replace(/- "\.\/build\.sh \*".*\n|- "git \*".*\n/g, '');
  for (const command of ['python3 scripts/a.py', 'python3 scripts/*x.py', 'python3 scripts/a.py | sh x', 'python3 scripts/k.pem', 'python3 -c 1', 'git push', 'gitk', 'git --exec-path=/x status']) {
    assert.equal(decide(py, command), decide(onlyPython, command), command);
  }
  assert.equal(decide(py, 'python3 scripts/a.py'), 'allow');
  assert.notEqual(decide(py, 'python3 scripts/*x.py'), 'allow');
  // A later selection brings its own guards, and the note above the list counts them all.
  const both = applyFragment(py, fragment, { select: ['git *'] }).text;
  assert.deepEqual(guardsOf(both), ['python3 -c*', 'python3 scripts/\\*x*', ...generic, 'git push*', 'git*--exec-path*']);
  assert.match(both, /never allowed, even where a pattern above matches \(6\)\. Keep them/);
  assert.match(both, /# git \(2\)\n {12}- "git push\*"/);
  assert.equal(applyFragment(both, fragment, { select: ['git *'] }).text, both, 'idempotent');
});

test('guards merge into the one learned rule, so compound commands of learned parts still match', () => {
  const once = applyFragment(read('policy-commented.yaml'), suggestions(), { select: ['python3 scripts/*'] }).text;
  const s = suggestions();
  s.exec = [{ pattern: 'python3 tools/*', notMatches: ['python3 -m pty*', 'python3 -c*', 'python3 -i*'], count: 1, examples: [], alternatives: [] }];
  const { text } = applyFragment(once, s);
  const set = parsePolicyText(text, 'p.yaml').set!;
  const learned = set.policies.find((p) => p.name === 'learned-exec')!;
  assert.equal(learned.rules.length, 1);
  assert.deepEqual(learned.rules[0].when.command_matches!.map((p) => p.value), ['git status*', 'make build', 'python3 scripts/*', 'python3 tools/*']);
  assert.deepEqual(learned.rules[0].when.command_not_matches!.map((p) => p.value), ['python3 -c*', 'python3 -m pty*', 'python3 -i*']);
  assert.equal(evaluate(set, { tool: 'exec', params: { command: 'git status && python3 tools/x.py' } }).action, 'allow');
  assert.notEqual(evaluate(set, { tool: 'exec', params: { command: 'python3 -c "import pty"' } }).action, 'allow');
  assert.equal(applyFragment(text, s).text, text, 'idempotent');
});

test('a later fragment never takes back a call approved earlier: its guards that refuse an observed call of a covering pattern are left out', () => {
  const base = 'version: "1"\npolicies: []\n';
  const pushed = suggestions();
  pushed.exec = [{ pattern: 'git *', notMatches: ['git push* -f*', 'git reset --hard*'], count: 1, examples: ['git push origin main'], alternatives: [] }];
  const first = applyFragment(base, pushed);
  const later = suggestions();
  later.exec = [{ pattern: 'git *', notMatches: ['git push *', 'git push* -f*', 'git reset --hard*', 'git clean -f*'], count: 2, examples: ['git status', 'git diff'], alternatives: [] }];
  const second = applyFragment(first.text, later);
  assert.deepEqual(second.spared, ['git push *']);
  const set = parsePolicyText(second.text, 'p.yaml').set!;
  const decide = (command: string) => evaluate(set, { tool: 'exec', params: { command } }).action;
  assert.equal(decide('git push origin main'), 'allow', 'still allowed after the later fragment');
  assert.notEqual(decide('git clean -fdx'), 'allow', 'the later fragment\'s other guards are merged');
  assert.notEqual(decide('git push --force origin main'), 'allow');
  // A guard no observed call runs into is merged, however broad the earlier pattern: new dangerous forms reach old rules.
  const newer = suggestions();
  newer.exec = [{ pattern: 'git *', notMatches: ['git -c core.pager*'], count: 1, examples: ['git log'], alternatives: [] }];
  const third = applyFragment(second.text, newer);
  assert.deepEqual(third.spared, []);
  assert.notEqual(evaluate(parsePolicyText(third.text, 'p.yaml').set!, { tool: 'exec', params: { command: 'git -c core.pager=sh log' } }).action, 'allow');
});

test('an added pattern whose observed call a guard already in the rule refuses is named, and the guard stays', () => {
  const base = 'version: "1"\npolicies: []\n';
  const first = suggestions();
  first.exec = [{ pattern: 'git *', notMatches: ['git push *'], count: 2, examples: ['git status', 'git diff'], alternatives: [] }];
  const later = suggestions();
  later.exec = [{ pattern: 'git push *', notMatches: [], count: 1, examples: ['git push origin main'], alternatives: [] }];
  const merged = applyFragment(applyFragment(base, first).text, later);
  assert.deepEqual(merged.added.filter((a) => a.startsWith('learned-exec')), ['learned-exec: git push *']);
  assert.deepEqual(merged.blocked, ['git push *: the rule\'s guard "git push *" refuses its observed call "git push origin main"']);
  assert.match(merged.text, /- "git push \*"\n/, 'the guard is kept: only the user removes it');
  // Also when the pattern is already there and nothing is added.
  const again = suggestions();
  again.exec = [{ pattern: 'git *', notMatches: [], count: 1, examples: ['git push origin main'], alternatives: [] }];
  const same = applyFragment(merged.text, again);
  assert.deepEqual(same.blocked, ['git *: the rule\'s guard "git push *" refuses its observed call "git push origin main"']);
});

test('empty, comment-only, flow-list and scalar targets', () => {
  const frag = renderFragment({ ...suggestions(), read: [], write: [], fetch: [] }, META);
  for (const before of ['', '# just a comment', 'version: "1"\npolicies: []\n', 'version: "1"\npolicies:\n', 'policies: # none yet\ntests: []\n']) {
    const { text, added } = applyFragment(before, frag);
    assert.equal(added.length, 5, before);
    assert.deepEqual(lintPolicyText(text, 'p.yaml').filter((d) => d.severity === 'error'), [], `${before}\n---\n${text}`);
    if (before) assert.equal(text.split('\n')[0], before.split('\n')[0].replace(/ \[\]$/, ''), before);
    assert.doesNotMatch(text, / \n/, 'no trailing spaces');
    assert.deepEqual(applyFragment(text, frag).added, [], 'idempotent');
  }
  const flow = 'policies:\n  - name: learned-exec\n    rules:\n      - action: allow\n        when: { command_matches: ["ls"] }\n';
  const merged = applyFragment(flow, frag).text;
  assert.match(merged, /when: \{ command_matches: \["ls", "git status\*", "npm run \*", "python3 scripts\/\*", "find \*"\], command_not_matches: \["python3 -c\*", /);
  assert.match(merged, /"find \*-delete\*"\] \}\n$/);
  const scalar = 'policies:\n  - name: learned-exec\n    rules:\n      - action: allow\n        when:\n          command_matches: "ls" # only ls\n';
  const fromScalar = applyFragment(scalar, frag).text;
  assert.deepEqual(parsePolicyText(fromScalar, 'p').set!.policies[0].rules[0].when.command_matches!.map((p) => p.value), ['ls', 'git status*', 'npm run *', 'python3 scripts/*', 'find *']);
});

test('bad targets and fragments give located errors and no output', () => {
  assert.throws(() => applyFragment('policies:\n  - name: [unclosed\n', FRAGMENT, { file: 'r.yaml' }), (e: Error) => e instanceof MergeError && /^r\.yaml:\d+:\d+: invalid YAML/.test(e.message));
  const located = (re: RegExp) => ({ message: re });
  assert.throws(() => applyFragment('- a\n- b\n', FRAGMENT, { file: 'r.yaml' }), located(/^r\.yaml:1:1: a policy file must be a mapping/));
  assert.throws(() => applyFragment('policies: 3\n', FRAGMENT, { file: 'r.yaml' }), located(/^r\.yaml:1:11: "policies" must be a list/));
  assert.throws(() => applyFragment('', 'tests: []\n', { fragmentFile: 'f.yaml' }), located(/^f\.yaml:1:1: the fragment has no "policies:" list/));
});

test('a hand-edited fragment cannot allow everything, nor add rules to a policy of the user’s own', () => {
  const policy = 'policies:\n  - name: no-rm\n    match: { tool: [exec] }\n    rules:\n      - action: deny\n        when: { command_matches: ["rm *"] }\n';
  const allowAll = 'policies:\n  - name: learned-x\n    match: { tool: [exec] }\n    rules:\n      - action: allow\n        when: { default: true }\n';
  assert.throws(() => applyFragment(policy, allowAll, { file: 'r.yaml', fragmentFile: 'f.yaml' }), {
    message: /^f\.yaml:5:9: an allow rule without patterns would allow every call of its policy/,
  });
  const intoDeny = 'policies:\n  - name: no-rm\n    match: { tool: [exec] }\n    rules:\n      - action: allow\n        when: { command_matches: ["rm -rf *"] }\n';
  assert.throws(() => applyFragment(policy, intoDeny, { file: 'r.yaml', fragmentFile: 'f.yaml' }), {
    message: 'f.yaml: the fragment\'s policy "no-rm" has the name of a policy in r.yaml; allow rules are merged only into learned-* policies (rename it to add it as a policy of its own)',
  });
  // Under another name it is a policy of its own, shown in the diff like any other.
  assert.match(applyFragment(policy, intoDeny.replace('no-rm', 'my-rm'), { file: 'r.yaml' }).text, /- name: my-rm/);
});

test('a CRLF policy file stays CRLF', () => {
  const before = read('policy-commented.yaml').replace(/\n/g, '\r\n');
  const { text } = applyFragment(before, FRAGMENT);
  assert.doesNotMatch(text, /[^\r]\n/);
  assert.equal(text.replace(/\r\n/g, '\n'), read('policy-commented.merged.yaml'));
  const empty = applyFragment('version: "1"\r\npolicies:\r\ntests: []\r\n', FRAGMENT).text;
  assert.doesNotMatch(empty, /[^\r]\n/);
  assert.deepEqual(lintPolicyText(empty, 'p.yaml').filter((d) => d.severity === 'error'), []);
});

test('edits applied in any order give the same text as applyFragment', () => {
  const before = read('policy-commented.yaml');
  const { edits } = fragmentEdits(before, FRAGMENT);
  assert.equal(applyEdits(before, [...edits].reverse()), applyFragment(before, FRAGMENT).text);
});

test('a learned pattern with a bidi control is merged escaped, and matches the same path', () => {
  const s = suggestions();
  const path = 'docs/\u202egnp.md';
  s.read.push({ pattern: path, count: 1, examples: [path], alternatives: [] });
  const { text } = applyFragment(read('policy-commented.yaml'), renderFragment(s, META), { file: 'rampart.yaml' });
  assert.doesNotMatch(text, /\u202e/);
  assert.match(text, /"docs\/\\u202egnp\.md"/);
  const { set } = parsePolicyText(text, 'rampart.yaml');
  assert.equal(evaluate(set!, { tool: 'read', params: { path } }).action, 'allow');
});

test('learnedRulePatterns lists what the learned policies spell out, guards and other policies left out', () => {
  const { text } = applyFragment(read('policy-commented.yaml'), FRAGMENT, { file: 'rampart.yaml' });
  const spelled = learnedRulePatterns(text);
  assert.ok(spelled.has('git status*') && spelled.has('npm run *') && spelled.has('**/*.py'));
  assert.ok(![...spelled].some((p) => p === 'rm -rf /*'), 'a pattern of a policy of the user’s own');
  // Every pattern it lists is one the merge would not add again, and every other one is added.
  for (const entry of suggestions().exec) {
    const edits = fragmentEdits(text, renderFragment({ ...suggestions(), exec: [entry], read: [], write: [], fetch: [] }, META), { file: 'rampart.yaml' }).edits;
    if (!spelled.has(entry.pattern)) assert.ok(edits.length > 0, entry.pattern);
  }
  assert.equal(learnedRulePatterns('policies: [').size, 0);
});
