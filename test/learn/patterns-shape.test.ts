import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scriptDir, shapeOf } from '../../src/core/learn/command-shape';
import { classify, escapeGlob } from '../../src/core/learn/dangerous-forms';
import { shapeWithDanger } from '../../src/core/learn/exec-patterns';
import { parseCommand } from '../../src/core/shell/index';
import { compileCommandGlob } from '../../src/core/glob/index';

const shape = (text: string) => {
  const [bin, ...words] = text.split(' ');
  return shapeOf(bin, bin, words, text);
};

describe('command shapes', () => {
  it('classifies binaries', () => {
    assert.equal(classify('git'), 'subcommand');
    assert.equal(classify('python3'), 'interpreter');
    assert.equal(classify('npx'), 'wrapper');
    assert.equal(classify('less'), 'exact-only');
    assert.equal(classify('mkfs.ext4'), 'exact-only');
    assert.equal(classify('jq'), 'plain');
  });

  it('finds the script directory to generalise to', () => {
    assert.equal(scriptDir('scripts/a.py'), 'scripts/');
    assert.equal(scriptDir('./scripts/sub/a.py'), './scripts/');
    assert.equal(scriptDir('/abs/proj/tools/x.py'), '/abs/proj/tools/');
    assert.equal(scriptDir('../other/x.py'), '../other/');
    assert.equal(scriptDir('a.py'), null);
  });

  it('ranks rungs narrowest first', () => {
    const s = shape('git log --oneline');
    assert.deepEqual(s.ladder.map((r) => [r.pattern, r.kind, r.level]), [
      ['git log --oneline', 'exact', 0], ['git log*', 'prefix', 2], ['git *', 'glob', 3],
    ]);
    assert.equal(s.sub, 'log');
    assert.equal(s.readOnly, true);
    assert.equal(shape('git push origin main').readOnly, false);
    assert.equal(shape('gh pr view 12').sub, 'pr view');
  });

  it('spots inline code, clustered flags and stdin programs', () => {
    assert.match(shape('python3 -c print(1)').danger ?? '', /inline/);
    assert.match(shape('bash -ic id').danger ?? '', /inline/);
    assert.match(shape('python3 -Bc print(1)').danger ?? '', /inline/);
    assert.match(shape('python3 -m pty').danger ?? '', /dangerous module/);
    assert.match(shape('node').danger ?? '', /standard input/);
    assert.equal(shape('node -c app.js').danger, undefined, 'node -c is --check');
    assert.equal(shape('python3 -u scripts/run.py').ladder.at(-1)!.pattern, 'python3 -u scripts/*');
  });

  it('flags dangerous forms by glob, generic and per binary', () => {
    const dangerousText = (text: string) => shapeWithDanger(parseCommand(text).components[0]).danger;
    assert.match(dangerousText('find . -delete') ?? '', /-delete/);
    assert.match(dangerousText('tar -I zstd -cf a.tar .') ?? '', /-I/);
    assert.match(dangerousText('xargs sh -c id') ?? '', /sh/);
    assert.match(dangerousText('cat /proc/self/environ') ?? '', /environ/);
    assert.equal(dangerousText('git add src/hooks/useAuth.ts'), null, 'React hooks are not git hooks');
    assert.equal(dangerousText('curl -H Content-Type: application/json http://localhost/x'), null);
  });

  it('escapes literals so an exact pattern matches only itself', () => {
    const p = escapeGlob('grep -E a|b *.ts');
    assert.equal(p, 'grep -E a?b \\*.ts');
    const m = compileCommandGlob(p);
    assert.ok(m('grep -E a|b *.ts'));
    assert.ok(!m('grep -E a|b x.ts'));
    assert.equal(escapeGlob('echo $(date)'), 'echo ?(date)');
  });
});
