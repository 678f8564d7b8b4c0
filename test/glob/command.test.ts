import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { compileCommandGlob, leadingLiteral, prefixesAgree, requiredLiteral, wildcardCovers } from '../../src/core/glob/index';

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
  it('reads a one-character class as that character', () => {
    assert.ok(m('*/[?][?][?]/*', 'ls /???/x'));
    assert.ok(!m('*/[?][?][?]/*', 'ls /bin/x'));
    assert.ok(m('x[**]y', 'x*y'));
    assert.ok(!m('[!?]', '?'));
  });
  it('finds a middle segment with classes wherever its literal part occurs', () => {
    assert.ok(m('*e[*?]c/*', 'cat /e/x /e?c/passwd'));
    assert.ok(!m('*e[*?]c/*', 'cat /etc/passwd /e*c'));
    assert.ok(m('*a?c*', 'xxabxxabcx'));
    assert.ok(m('*x[0-9]y*', 'x0z x1y'));
    assert.ok(!m('*x[0-9]y*', 'xay x0z'));
    // The segment must end before the anchored suffix.
    assert.ok(!m('*a[bc]d*d', 'abd'));
    assert.ok(m('*a[bc]d*d', 'abdd'));
  });
});

describe('requiredLiteral', () => {
  it('is the longest literal run, escapes and classes understood', () => {
    assert.equal(requiredLiteral('*>*/dev/sd[a-z]*'), '/dev/sd');
    assert.equal(requiredLiteral('*socket*dup2*'), 'socket');
    assert.equal(requiredLiteral('a\\*bc*d'), 'a*bc');
    assert.equal(requiredLiteral('*[]x]yz*'), 'yz');
    assert.equal(requiredLiteral('*/[?][?][?]/*'), '/???/');
    assert.equal(requiredLiteral('*'), '');
  });
  it('keeps a backslash that escapes nothing, as the glob does', () => {
    assert.equal(requiredLiteral('find * -exec rm {} \\;'), ' -exec rm {} \\;');
    assert.ok(m('find * -exec rm {} \\;', 'find . -exec rm {} \\;'));
  });
  it('occurs in every string the pattern matches', () => {
    const cases: [string, string][] = [
      ['eval *\\\\x*', 'eval $(printf "\\x41")'],
      ['*e[*?]c/sh[*?]dow*', 'cat /e?c/sh*dow'],
      ['cat *[*].env*', 'cat x*.env.local'],
    ];
    for (const [pattern, text] of cases) {
      assert.ok(m(pattern, text), pattern);
      assert.ok(text.includes(requiredLiteral(pattern)), pattern);
    }
  });
});

describe('wildcardCovers', () => {
  it('holds when a star-only pattern matches every string the other does', () => {
    assert.ok(wildcardCovers('git *', 'git push*'));
    assert.ok(wildcardCovers('git *', 'git push --force*'));
    assert.ok(wildcardCovers('cat*', 'cat[! ]*'), 'a class sits inside the star');
    assert.ok(wildcardCovers('*', '*rm -rf*'));
    assert.ok(wildcardCovers('git push origin main', 'git push origin main'));
  });
  it('fails when some string of the other escapes it', () => {
    assert.ok(!wildcardCovers('git push origin main', 'git push*'));
    assert.ok(!wildcardCovers('git status*', 'git *'));
    assert.ok(!wildcardCovers('git *', '*git push*'), 'the other may start with anything');
    assert.ok(!wildcardCovers('x*!a]y', 'x[!a]y'), 'a literal of the pattern never stands in for a wildcard of the other');
    assert.ok(!wildcardCovers('git p?sh *', 'git push*'), 'only star-only patterns are proved');
  });
});

test('leadingLiteral: the text before the first wildcard, escapes and one-character classes read as the character, at any length', () => {
  assert.equal(leadingLiteral('git push*'), 'git push');
  assert.equal(leadingLiteral('a\\*b?c'), 'a*b');
  assert.equal(leadingLiteral('x[?]y[ab]z'), 'x?y');
  assert.equal(leadingLiteral('*rest'), '');
  // A hostile command becomes an exact pattern of its own length: no call-argument limit may cut it short.
  const huge = `${'a'.repeat(2_000_000)}?`;
  assert.equal(leadingLiteral(huge).length, 2_000_000);
  assert.equal(leadingLiteral(huge.slice(0, -1)).length, 2_000_000);
  assert.ok(prefixesAgree('git ', 'git push') && prefixesAgree('git push', 'git ') && !prefixesAgree('git ', 'gitk'));
});
