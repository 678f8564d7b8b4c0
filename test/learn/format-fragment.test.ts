import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { commentExamples, patternComment, renderFragment, type FragmentMeta } from '../../src/core/learn/format-yaml';
import { renderJson } from '../../src/core/learn/format-json';
import { formatDuration, renderSummary } from '../../src/core/learn/format-summary';
import type { Suggestions } from '../../src/core/learn/types';
import { evaluate, lintPolicyText, parsePolicyText, runPolicyTests } from '../../src/core/policy';

const FIXTURES = join(__dirname, '..', 'fixtures', 'learn');
const load = (name: string): Suggestions => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const META: FragmentMeta = {
  generatedBy: 'rampart-learn learn -- claude',
  generatedAt: new Date('2026-02-21T06:07:00Z'),
  durationMs: 192_000,
  toolCalls: 47,
};

/** Compares with a golden file; UPDATE_GOLDEN=1 rewrites it. */
function golden(name: string, actual: string): void {
  const file = join(FIXTURES, name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'));
}

test('the YAML fragment matches the golden file', () => {
  golden('fragment-basic.yaml', renderFragment(load('suggestions-basic.json'), META));
});

test('the header\'s contents line gives the line each part starts on, and parts the fragment lacks are left out', () => {
  const text = renderFragment(load('suggestions-basic.json'), META);
  const lines = text.split('\n');
  const contents = /^# Contents: (.*)$/m.exec(text)![1]!.split(', ').map((part) => /^(.*) line (\d+)$/.exec(part)!.slice(1));
  const starts: Record<string, RegExp> = {
    'learned-exec': /^ {2}- name: learned-exec$/,
    'its guards': /^ {10}command_not_matches:$/,
    'learned-read': /^ {2}- name: learned-read$/,
    'learned-write': /^ {2}- name: learned-write$/,
    'learned-fetch': /^ {2}- name: learned-fetch$/,
    tests: /^tests:$/,
    WARNINGS: /^# WARNINGS — /,
    'ALREADY HANDLED': /^# ALREADY HANDLED — /,
  };
  assert.deepEqual(contents.map(([name]) => name), Object.keys(starts));
  for (const [name, line] of contents) assert.match(lines[Number(line) - 1]!, starts[name!]!, name);
  const bare = load('suggestions-basic.json');
  bare.exec = [];
  bare.warnings = [];
  bare.handled = [];
  assert.match(renderFragment(bare, META), /^# Contents: learned-read line \d+, learned-write line \d+, learned-fetch line \d+, tests line \d+$/m);
});

test('the fragment is a clean policy file on its own and its inline tests pass', () => {
  const text = renderFragment(load('suggestions-basic.json'), META);
  assert.deepEqual(lintPolicyText(text, 'rampart-learn.yaml'), []);
  const { set, diagnostics } = parsePolicyText(text, 'rampart-learn.yaml');
  assert.deepEqual(diagnostics, []);
  assert.ok(set);
  assert.deepEqual(set.policies.map((p) => [p.name, p.priority]), [
    ['learned-exec', 50], ['learned-read', 50], ['learned-write', 50], ['learned-fetch', 50],
  ]);
  const report = runPolicyTests(set, set.tests);
  assert.equal(report.failed, 0, JSON.stringify(report.results.filter((r) => !r.passed)));
  // the guards really keep the widened pattern away from the dangerous form
  assert.equal(evaluate(set, { tool: 'exec', params: { command: 'python3 scripts/a.py' } }).action, 'allow');
  assert.notEqual(evaluate(set, { tool: 'exec', params: { command: 'find . -delete' } }).action, 'allow');
  assert.equal(evaluate(set, { tool: 'edit', params: { path: 'src/x.ts' } }).action, 'allow');
  assert.equal(evaluate(set, { tool: 'fetch', params: { url: 'https://api.github.com/x' } }).action, 'allow');
});

test('its policies lift out under another file\'s policies: list', () => {
  const doc = parseDocument(renderFragment(load('suggestions-basic.json'), META));
  const policies = doc.toJS().policies as { name: string; rules: unknown[] }[];
  const host = `version: "1"\npolicies:\n${policies.map((p) => `  - ${JSON.stringify(p)}`).join('\n')}\n`;
  assert.deepEqual(lintPolicyText(host, 'host.yaml'), []);
});

test('hostile examples cannot break out of their comment', () => {
  const s = load('suggestions-basic.json');
  s.exec[0].examples = ['git status\n- "rm -rf *"\npolicies: []', 'x\u001b[31m'];
  s.warnings[0].raw = '~/.env\ndefault_action: allow';
  const text = renderFragment(s, META);
  const js = parseDocument(text).toJS();
  assert.equal(js.default_action, undefined);
  assert.deepEqual(js.policies[0].rules[0].when.command_matches, ['git status*', 'npm run *', 'python3 scripts/*', 'find *', 'ls']);
  assert.doesNotMatch(text, /\u001b/);
});

test('empty suggestions still give a valid, lint-clean file', () => {
  const s = load('suggestions-basic.json');
  Object.assign(s, { exec: [], read: [], write: [], fetch: [], warnings: [], handled: [], tests: [] });
  const text = renderFragment(s, META);
  assert.deepEqual(lintPolicyText(text, 'f.yaml'), []);
  assert.deepEqual(parseDocument(text).toJS().policies, []);
});

test('JSON output carries meta, alternatives and stats', () => {
  const s = load('suggestions-basic.json');
  const js = JSON.parse(renderJson(s, META));
  assert.equal(js.schema, 'rampart-learn.suggestions.v1');
  assert.equal(js.generatedAt, '2026-02-21T06:07:00.000Z');
  assert.deepEqual(js.exec[0].alternatives, s.exec[0].alternatives);
  assert.equal(js.stats.totalEvents, 47);
});

test('the examples a pattern comment lists read back as written, without those it cut short', () => {
  const entry = { pattern: 'git *', count: 3, examples: ['git status', 'git push origin main', `git commit -m "${'x'.repeat(80)}"`], alternatives: [] };
  assert.deepEqual(commentExamples(patternComment(entry)), ['git status', 'git push origin main']);
  assert.deepEqual(commentExamples(undefined), []);
});

test('an example shows the part its pattern is about: the command within a longer line, a file under a long folder, once each', () => {
  const ls = { pattern: 'ls *', count: 3, alternatives: [], examples: ['cd "C:/Users/me/CLAUDE CODE/app" && ls -la src', 'cd "C:/Users/me/CLAUDE CODE/app" && ls -la src', 'ls docs'] };
  assert.equal(patternComment(ls), ' 3 observed (…ls -la src, ls docs)');
  // Cut at the start, it is not the command the user approved: apply does not read it back as one.
  assert.deepEqual(commentExamples(patternComment(ls)), ['ls docs']);
  const tree = { pattern: '/Users/me/GDrive/Projects/attio-server/**', count: 2, alternatives: [], examples: ['/Users/me/GDrive/Projects/attio-server/src/a.ts'] };
  assert.equal(patternComment(tree), ' 2 observed (…/src/a.ts)');
  // A host inside a URL is not where a command starts.
  assert.equal(patternComment({ pattern: 'pypi.org', count: 1, alternatives: [], examples: ['https://pypi.org/simple/x/'] }), ' 1 observed (https://pypi.org/simple/x/)');
});

test('terminal summary: plain text without colour, counts per tool, warnings, handled, apply hint', () => {
  const text = renderSummary(load('suggestions-basic.json'), { outputPath: 'rampart-learn.yaml', color: false });
  assert.doesNotMatch(text, /\u001b\[/);
  assert.match(text, /exec\s+23 commands\s+-> 5 patterns/);
  assert.match(text, /write\s+6 paths\s+-> 1 pattern\n/); // write + edit calls
  assert.match(text, /fetch\s+3 URLs\s+-> 2 domains/);
  assert.match(text, /2 WARNINGS/);
  assert.match(text, /read ~\/\.env/);
  assert.match(text, /exec rm -rf build\s+-> deny by block-destructive \(2x\)/);
  assert.match(text, /Written to: rampart-learn\.yaml/);
  assert.match(text, /rampart-learn apply rampart-learn\.yaml --policy rampart\.yaml/);
  assert.doesNotMatch(text, /rampart-learn init/);
  // Learned against a shipped policy with no ./rampart.yaml yet: the hint starts by creating it.
  const first = renderSummary(load('suggestions-basic.json'), { outputPath: 'rampart-learn.yaml', color: false, needsInit: true });
  assert.match(first, /rampart-learn init .*\n\s+rampart-learn apply rampart-learn\.yaml --policy rampart\.yaml/);
  const colored = renderSummary(load('suggestions-basic.json'), { outputPath: 'x.yaml', color: true });
  assert.match(colored, /\u001b\[/);
});

test('terminal summary says how many calls named no file, so "N paths -> 0 patterns" is explained', () => {
  const s = load('suggestions-basic.json');
  s.stats.withoutSubject = { edit: 2, write: 1, fetch: 1 };
  const text = renderSummary(s, { color: false });
  assert.match(text, /write\s+6 paths\s+-> 1 pattern \(3 without a path: nothing to learn from\)\n/);
  assert.match(text, /fetch\s+3 URLs\s+-> 2 domains \(1 without a URL: nothing to learn from\)\n/);
  assert.match(text, /exec\s+23 commands\s+-> 5 patterns\n/);
});

test('durations read like the seed', () => {
  assert.equal(formatDuration(192_000), '3m 12s');
  assert.equal(formatDuration(3_725_000), '1h 2m 5s');
  assert.equal(formatDuration(400), '0.4s');
  assert.equal(formatDuration(12_000), '12s');
  assert.equal(formatDuration(NaN), 'unknown');
  assert.equal(formatDuration(17_784_612_000), '205d 20h');
});

test('notes and unresolved self-check findings are shown for review', () => {
  const s = load('suggestions-basic.json');
  s.fetch[1].note = 'public package registry';
  s.check = { leaks: ['find . -delete'], leakingPatterns: ['find *'], notAllowed: [], regressions: ['exec rm -rf build'] };
  const text = renderFragment(s, META);
  assert.match(text, /- "pypi\.org" # 1 observed \(https:\/\/pypi\.org\/simple\/requests\/\) — public package registry/);
  assert.match(text, /# SELF-CHECK — problems the analyzer could not resolve/);
  assert.match(text, /#\s+dangerous probe still allowed by the fragment: find \. -delete/);
  assert.deepEqual(lintPolicyText(text, 'f.yaml'), []);
  const summary = renderSummary(s, { color: false });
  assert.match(summary, /SELF-CHECK FAILED: 1 dangerous probe still allowed, 1 denied call allowed with the fragment\./);
  assert.match(summary, /Do not apply it as it is/);
  assert.doesNotMatch(renderSummary(load('suggestions-basic.json'), { color: false }), /Self-check/);
});

test('summary and notes: singular units, warnings told apart after shortening, reasons in full in the file', () => {
  const s = load('suggestions-basic.json');
  const heredoc = (body: string) => `cd /mnt/c/Users/USER/src/work20260103 && python3 << 'PYEOF'\nimport sys\n${body}\nPYEOF`;
  const reason = `dangerous form: ${'a long explanation that goes on '.repeat(5)}— the end`;
  const one: Suggestions = {
    ...s,
    stats: { ...s.stats, byTool: { exec: 1 } },
    warnings: [1, 2].map((n) => ({ tool: 'exec', raw: heredoc(`print(${n})`), reason, count: 1 })),
    check: undefined,
  };
  const summary = renderSummary(one, { outputPath: 'f.yaml', color: false });
  assert.match(summary, /exec\s+1 command\s+->/);
  const lines = summary.split('\n').filter((l) => l.includes('PYEOF'));
  assert.equal(lines.length, 2);
  assert.notEqual(lines[0], lines[1]);
  assert.match(lines[1]!, /print\(2\)/);
  const file = renderFragment(one, META);
  assert.match(file, /\(2 warnings, /);
  assert.ok(file.includes(`Reason: ${reason}`), 'the reason is not cut in the file');
  assert.match(renderFragment({ ...one, warnings: one.warnings.slice(0, 1) }, META), /\(1 warning, /);
});

test('a whole tool learned from one call says so, and names the narrower choice', () => {
  const alternatives = [{ pattern: 'gh issue view 445', kind: 'exact', covers: 1 }, { pattern: 'gh issue view*', kind: 'prefix', covers: 1 }, { pattern: 'gh *', kind: 'glob', covers: 1 }] as const;
  const one = { pattern: 'gh *', count: 1, examples: ['gh issue view 445'], alternatives: [...alternatives] };
  assert.equal(patternComment(one), ' 1 observed (gh issue view 445) — from one call; narrower: gh issue view*');
  assert.deepEqual(commentExamples(patternComment(one)), ['gh issue view 445']);
  assert.equal(patternComment({ ...one, count: 2 }), ' 2 observed (gh issue view 445)', 'two calls are evidence enough');
  assert.equal(patternComment({ ...one, pattern: 'gh issue view*' }), ' 1 observed (gh issue view 445)', 'not for a subcommand pattern');
});

test('many warnings for one reason are one entry: one line of the summary, one heading in the file over each command', () => {
  const s = load('suggestions-basic.json');
  const reason = 'dangerous form: python -c runs inline code or an interactive session';
  const inline = [1, 2, 3, 4].map((n) => ({ tool: 'exec', raw: `python -c "print(${n})"`, reason, count: n }));
  const other = { tool: 'exec', raw: 'rm -rf build', reason: 'dangerous form: rm is destructive', count: 1 };
  const many: Suggestions = { ...s, warnings: [inline[0]!, other, ...inline.slice(1)], check: undefined };
  const summary = renderSummary(many, { outputPath: 'f.yaml', color: false });
  assert.match(summary, /5 WARNINGS/);
  assert.match(summary, /- exec 4 commands like python -c "print\(1\)" {2}\(dangerous form: python -c runs inline code or an interactive session; 10x\)\n {4}- exec rm -rf build {2}\(/);
  const file = renderFragment(many, META);
  assert.match(file, /# {3}exec: 4 commands {2}→ 10 observed\n# {5}Reason: dangerous form: python -c runs inline code or an interactive session\n# {5}exec python -c "print\(1\)" +→ 1 observed\n/);
  assert.equal(file.match(/Reason: dangerous form: python -c/g)?.length, 1, 'the reason once');
  for (const n of [1, 2, 3, 4]) assert.ok(file.includes(`exec python -c "print(${n})"`), `command ${n} listed`);
  assert.equal(renderSummary({ ...many, warnings: many.warnings.slice(0, 3) }, { outputPath: 'f.yaml', color: false }).match(/python -c "print/g)?.length, 2, 'two alike stay two lines');
});

test('JSON output is not a fragment: the summary names the file but no apply', () => {
  const text = renderSummary(load('suggestions-basic.json'), { outputPath: 'out.json', json: true, color: false });
  assert.match(text, /Written to: out\.json/);
  assert.doesNotMatch(text, /rampart-learn apply/);
});

test('the header of several sessions gives their summed duration, not one span', () => {
  const text = renderFragment(load('suggestions-basic.json'), { ...META, durationMs: 3_600_000, sessions: 15 });
  assert.match(text, /# Duration: 1h 0m 0s over 15 sessions {2}\|/);
});

test('test names carry no escape or bidi control of a hostile command (`rampart-learn test` prints them)', () => {
  const s = load('suggestions-basic.json');
  const command = 'echo \u001b]0;pwned\u0007 \u202egnp.exe';
  s.tests.unshift({ name: `allows observed: ${command}`, tool: 'exec', params: { command }, expect: 'allow' });
  const js = parseDocument(renderFragment(s, META)).toJS();
  assert.equal(js.tests[0].name, 'allows observed: echo ?]0;pwned? ?gnp.exe');
  assert.equal(js.tests[0].params.command, command, 'the command itself is kept as it ran');
});

test('a bidi control in a learned path is escaped in the fragment, and reads back as the same character', () => {
  const s = load('suggestions-basic.json');
  const path = 'docs/\u202egnp.md\u2066x\u2069\u200f';
  s.read.push({ pattern: path, count: 1, examples: [path], alternatives: [] });
  s.tests.push({ name: `allows observed: read ${path}`, tool: 'read', params: { path }, expect: 'allow' });
  const text = renderFragment(s, META);
  assert.doesNotMatch(text, /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/, 'no raw bidi control anywhere in the file');
  assert.match(text, /"docs\/\\u202egnp\.md\\u2066x\\u2069\\u200f"/);
  const js = parseDocument(text).toJS();
  const read = js.policies.find((p: { name: string }) => p.name === 'learned-read');
  assert.ok(read.rules.some((r: { when: { path_matches: string[] } }) => r.when.path_matches.includes(path)));
  assert.equal(js.tests.at(-1).params.path, path);
});
