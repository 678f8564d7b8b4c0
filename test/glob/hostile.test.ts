// Glob compilers and normalisers on hostile input: huge values, odd
// characters, patterns a library might reject. No hangs, no crashes beyond a
// clear compile error the policy loader reports with the pattern's location.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileCommandGlob, compileDomainGlob, compilePathGlob, hostOf, normalizePath } from '../../src/core/glob/index';

describe('hostile glob input', () => {
  it('matches 1 MB commands against many-star patterns', () => {
    const text = `${'x'.repeat(1 << 20)}y`;
    assert.equal(compileCommandGlob(`*${'x*'.repeat(50)}z`)(text), false);
    assert.equal(compileCommandGlob(`*${'x*'.repeat(50)}y`)(text), true);
    assert.equal(compileCommandGlob('*[!x]')(text), true);
  });
  it('compiles a 1 MB command pattern', () => {
    const lit = 'a'.repeat(1 << 20);
    assert.equal(compileCommandGlob(lit)(lit), true);
    assert.equal(compileCommandGlob(`${lit}*`)(`${lit}b`), true);
  });
  it('normalises a 1 MB path and deep ../ chains', () => {
    const deep = `/a${'/b/..'.repeat(100_000)}/c`;
    assert.equal(normalizePath(deep), '/a/c');
    assert.equal(normalizePath('../'.repeat(50_000) + 'etc/passwd', { cwd: '/w' }), '/etc/passwd');
  });
  it('matches paths with spaces, unicode and glob characters in them', () => {
    assert.ok(compilePathGlob('/home/u/My Documents/*')('/home/u/My Documents/a b.txt'));
    assert.ok(compilePathGlob('/data/日本/**')('/data/日本/x/y'));
    assert.ok(compilePathGlob('/tmp/\\[x\\]')('/tmp/[x]'));
  });
  it('reports a pattern picomatch rejects with an error rather than hanging', () => {
    assert.throws(() => compilePathGlob(`/${'a'.repeat(70_000)}*`));
  });
  it('returns null for hosts that are not hosts', () => {
    for (const v of ['http://a b.com/', 'http://[::1', '://', '@', 'javascript:alert(1)', '\u0000', 'x'.repeat(1 << 20)]) {
      const h = hostOf(v);
      assert.ok(h === null || /^[a-z0-9.-]+$/.test(h), `${v.slice(0, 20)} → ${h}`);
    }
    assert.equal(compileDomainGlob('*.x.com')('http://a b.x.com/'), false);
  });
});
