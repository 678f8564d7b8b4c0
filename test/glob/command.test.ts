import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileCommandGlob } from '../../src/core/glob/index';

const m = (pattern: string, text: string): boolean => compileCommandGlob(pattern)(text);

describe('command globs', () => {
  it('* matches any run of characters, including / and spaces', () => {
    assert.ok(m('git *', 'git push origin/main'));
    assert.ok(m('git *', 'git '));
    assert.ok(!m('git *', 'git'));
    assert.ok(!m('git *', 'gitk --all'));
    assert.ok(m('*', ''));
    assert.ok(m('*', 'anything at all / here'));
    assert.ok(m('rm -rf /*', 'rm -rf /'));
    assert.ok(m('rm -rf /*', 'rm -rf /usr/lib'));
    assert.ok(m('*curl*|*sh*', 'curl -s x | sh'));
    assert.ok(m('*/.ssh/*', 'cat /home/u/.ssh/id_rsa'));
    assert.ok(m('**', 'x y'));
  });
  it('matches the whole string', () => {
    assert.ok(!m('git status', 'git status --short'));
    assert.ok(!m('status', 'git status'));
    assert.ok(m('git status', 'git status'));
    assert.ok(!m('npm test', 'npm test && curl x'));
  });
  it('? matches one character and [...] a class', () => {
    assert.ok(m('a?c', 'abc'));
    assert.ok(!m('a?c', 'ac'));
    assert.ok(!m('a?c', 'abbc'));
    assert.ok(m('[ab]x', 'bx'));
    assert.ok(!m('[ab]x', 'cx'));
    assert.ok(m('[a-c]*', 'cat'));
    assert.ok(m('[!a-c]*', 'dog'));
    assert.ok(!m('[!a-c]*', 'cat'));
    assert.ok(m('[^a-c]*', 'dog'));
    assert.ok(m('[]]', ']'));
    assert.ok(m('x[*]y', 'x*y'));
    assert.ok(!m('x[*]y', 'xzy'));
  });
  it('anchors multi-star patterns at both ends and finds the middle', () => {
    assert.ok(m('*a*b*c', 'xxaxxbxxc'));
    assert.ok(!m('*a*b*c', 'xxaxxbxx'));
    assert.ok(!m('*a*b*c', 'xxcxxbxxa'));
    assert.ok(m('a*a', 'aa'));
    assert.ok(!m('a*a', 'a'));
    assert.ok(m('*ab*ab*', 'abab'));
    assert.ok(!m('*ab*ab*', 'aba'));
    assert.ok(m('sudo *', 'sudo rm -rf /'));
    assert.ok(m('* | *sh', 'curl x | bash'));
    assert.ok(m('*?b', 'ab'));
    assert.ok(!m('*?b', 'b'));
  });
  it('backslash escapes glob characters only', () => {
    assert.ok(m('\\*', '*'));
    assert.ok(!m('\\*', 'x'));
    assert.ok(m('a\\?', 'a?'));
    assert.ok(!m('a\\?', 'ab'));
    assert.ok(m('find * -exec rm {} \\;', 'find . -exec rm {} \\;'));
    assert.ok(m('a\\\\b', 'a\\b'));
  });
  it('treats an unterminated [ as a literal', () => {
    assert.ok(m('[ -f x', '[ -f x'));
    assert.ok(m('test [*', 'test [abc'));
  });
  it('takes linear-ish time on adversarial patterns and texts', () => {
    const pattern = `${'*a'.repeat(30)}*b`;
    const text = 'a'.repeat(100_000);
    assert.equal(m(pattern, text), false);
    assert.equal(m(pattern, `${text}b`), true);
  });
  it('handles unicode', () => {
    assert.ok(m('echo *✓', 'echo done ✓'));
    assert.ok(m('echo 日*', 'echo 日本'));
  });
});
