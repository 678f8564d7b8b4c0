import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandBraces, expandGlob, indexKnownPaths, type KnownPath } from '../../src/core/glob/expand';

const known = indexKnownPaths([
  { anchor: 'root', segments: ['etc', 'shadow'] },
  { anchor: 'root', segments: ['etc', 'passwd'] },
  { anchor: 'home', segments: ['.ssh'] },
  { anchor: 'home', segments: ['.config'] },
  { anchor: 'anywhere', segments: ['.aws', 'credentials'] },
  { anchor: 'anywhere', segments: ['id_rsa'] },
] satisfies KnownPath[]);

describe('expandGlob', () => {
  it('names the known paths a glob matches, segment by segment', () => {
    assert.deepEqual(expandGlob('/e*/sh*w', known), ['/etc/shadow']);
    assert.deepEqual(expandGlob('/etc/s[h]adow', known), ['/etc/shadow']);
    assert.deepEqual(expandGlob('/e?c/pa??wd', known), ['/etc/passwd']);
    assert.deepEqual(expandGlob('/*/shadow', known), ['/etc/shadow']);
  });
  it('keeps the rest of the word after a known directory', () => {
    // Each known path is written in on its own.
    assert.deepEqual(expandGlob('~/.s?h/id_*', known), ['~/.ssh/id_*', '~/.s?h/id_rsa']);
    assert.deepEqual(expandGlob('/e*', known), ['/etc']);
  });
  it('reads ~, $HOME, /home/NAME, /Users/NAME and /root as the home directory', () => {
    for (const w of ['~/.s?h', '$HOME/.s?h', '${HOME}/.s?h', '/home/*/.s?h', '/Users/bob/.s?h', '/root/.s?h']) {
      assert.ok(expandGlob(w, known).includes('~/.ssh'), w);
    }
  });
  it('finds paths known at any depth, also in relative words', () => {
    assert.deepEqual(expandGlob('x/.a?s/cred*', known), ['x/.aws/credentials']);
    assert.deepEqual(expandGlob('~/.ssh/id_r?a', known), ['~/.ssh/id_rsa']);
  });
  it('roots a relative word that climbs out with ../', () => {
    assert.ok(expandGlob('../../e*/sh*w', known).includes('/etc/shadow'));
  });
  it('does not let * or ? match a leading dot, as the shell does', () => {
    assert.deepEqual(expandGlob('~/*ssh', known), []);
    assert.deepEqual(expandGlob('~/?ssh', known), []);
  });
  it('says nothing for words that name no known path or only by a lone *', () => {
    for (const w of ['src/*.ts', 'build/*.o', '*.md', '/etc/*', '/usr/*/x', '/opt/x/*/lib/y.dylib', '~/*', '*']) {
      assert.deepEqual(expandGlob(w, known), [], w);
    }
  });
  it('names nothing for a word without glob characters', () => {
    assert.deepEqual(expandGlob('/etc/shadow', known), []);
  });
});

describe('expandBraces', () => {
  it('expands lists, nested lists and several lists', () => {
    assert.deepEqual(expandBraces('a{b,c}d'), ['abd', 'acd']);
    assert.deepEqual(expandBraces('{a,b{c,d}}'), ['a', 'bc', 'bd']);
    assert.deepEqual(expandBraces('{a,b}{1,2}'), ['a1', 'a2', 'b1', 'b2']);
  });
  it('leaves words without a list alone', () => {
    for (const w of ['{}', '{x}', '${HOME}', 'a{b', '{1..3}']) assert.deepEqual(expandBraces(w), [w]);
  });
  it('stops at 16 words', () => {
    assert.equal(expandBraces('{a,b}{a,b}{a,b}{a,b}{a,b}').length, 16);
  });
});
