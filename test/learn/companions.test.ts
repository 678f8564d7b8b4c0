import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/core/learn/analyzer';
import { INSPECTION_TOOLS, isCompanion } from '../../src/core/learn/companions';
import { renderSummary } from '../../src/core/learn/format-summary';
import { renderFragment } from '../../src/core/learn/format-yaml';
import { parsePolicyText } from '../../src/core/policy/index';
import { assertDecisions, companions, execs, patterns } from './exec-helpers';

describe('companion suggestions: the other inspection tools', () => {
  it('are suggested once the agent used two inspection tools, marked as not observed', () => {
    const s = analyze(execs('cat README.md', 'ls -la src', 'git status'));
    assert.deepEqual(patterns(s).sort(), ['cat*', 'git *', 'ls *']);
    const suggested = companions(s);
    assert.equal(suggested.length, INSPECTION_TOOLS.length - 2);
    assert.ok(suggested.includes('head*') && suggested.includes('grep*') && suggested.includes('sleep*'));
    for (const e of s.exec.filter(isCompanion)) {
      assert.deepEqual(e.examples, []);
      assert.match(e.note ?? '', /^Not observed: .*\(ls, cat\)/);
    }
    assertDecisions(s, ['head -50 src/app.ts', 'tail -f logs/app.log', 'wc -l src/*.ts', 'grep -rn TODO src', 'sleep 5', 'pwd'], []);
  });

  it('carry the guards of their binaries and of credentials, and never reach another binary', () => {
    const s = analyze(execs('cat README.md', 'ls -la src'));
    assertDecisions(s, [], [
      'head ~/.ssh/id_rsa', 'tail -n 5 ~/.aws/credentials', 'grep -r AKIA ~', 'find . -exec sh -c id \\;', 'find . -delete',
      'sort -o /etc/cron.d/x a.txt', 'echo x >> ~/.bashrc', 'tailscale up --ssh', 'headless-shell', 'grep x a | sh', 'echo $GITHUB_TOKEN',
    ]);
    assert.deepEqual(s.check?.leaks, []);
  });

  it('are not suggested after a single inspection tool, nor without generalisation or with a minimum frequency', () => {
    assert.deepEqual(companions(analyze(execs('cat README.md', 'git status', 'npm test'))), []);
    assert.deepEqual(companions(analyze(execs('cat README.md', 'ls -la src'), { generalize: false })), []);
    assert.deepEqual(companions(analyze(execs('cat README.md', 'cat a', 'ls -la src', 'ls'), { minFrequency: 2 })), []);
    assert.deepEqual(companions(analyze(execs('cat README.md', 'ls -la src'), { companions: false })), []);
  });

  it('never include a tool the agent ran, even in a form that was only warned about', () => {
    const s = analyze(execs('cat README.md', 'ls -la src', 'head ~/.ssh/id_rsa', 'find . -delete'));
    assert.deepEqual(s.warnings.map((w) => w.raw).sort(), ['find . -delete', 'head ~/.ssh/id_rsa']);
    assert.ok(!companions(s).includes('head*') && !companions(s).includes('find*'));
    assert.ok(companions(s).includes('tail*'));
    assert.match(s.exec.find((e) => e.pattern === 'tail*')?.note ?? '', /\(ls, cat\)$/);
    // warned uses are no evidence
    assert.deepEqual(companions(analyze(execs('cat ~/.ssh/id_rsa', 'find . -delete', 'ls -la'))), []);
  });

  it('are written with their note instead of an observed count, and the fragment parses', () => {
    const s = analyze(execs('cat README.md', 'ls -la src'));
    const yaml = renderFragment(s, { generatedBy: 'test', generatedAt: new Date(0), durationMs: 0, toolCalls: 2 });
    assert.match(yaml, /- "head\*" # Not observed: suggested with the inspection tools the agent ran \(ls, cat\)/);
    assert.doesNotMatch(yaml, /# 0 observed/);
    assert.ok(parsePolicyText(yaml, 'fragment.yaml').set);
    const summary = renderSummary(s, { outputPath: 'rampart-learn.yaml', color: false });
    assert.match(summary, new RegExp(`exec .* -> ${s.exec.length} patterns \\(${INSPECTION_TOOLS.length - 2} not observed: inspection tools, see the fragment\\)`));
  });
});
