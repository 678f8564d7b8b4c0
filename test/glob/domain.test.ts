import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileDomainGlob, hostOf } from '../../src/core/glob/index';

const m = (pattern: string, host: string): boolean => compileDomainGlob(pattern)(host);

describe('hostOf', () => {
  it('takes the host from URLs: lower-cased, trailing dot, port and userinfo dropped', () => {
    assert.equal(hostOf('https://user:pw@Example.COM.:8080/path?q=1#f'), 'example.com');
    assert.equal(hostOf('http://api.github.com/repos'), 'api.github.com');
    assert.equal(hostOf('HTTPS://WWW.X.IO'), 'www.x.io');
    assert.equal(hostOf('ftp://files.example.org/a'), 'files.example.org');
  });
  it('accepts bare hosts, host:port and scheme-less URLs', () => {
    assert.equal(hostOf('example.com'), 'example.com');
    assert.equal(hostOf('Example.com.'), 'example.com');
    assert.equal(hostOf('example.com:443'), 'example.com');
    assert.equal(hostOf('example.com/path'), 'example.com');
    assert.equal(hostOf('//cdn.example.com/x.js'), 'cdn.example.com');
    assert.equal(hostOf('git@github.com:org/repo.git'), 'github.com');
    assert.equal(hostOf('localhost'), 'localhost');
  });
  it('canonicalises IP and IDN spellings', () => {
    assert.equal(hostOf('http://0x7f.1/'), '127.0.0.1');
    assert.equal(hostOf('http://2130706433/'), '127.0.0.1');
    assert.equal(hostOf('http://[::1]:80/'), '[::1]');
    assert.equal(hostOf('https://bücher.de/'), 'xn--bcher-kva.de');
  });
  it('returns null when there is no host', () => {
    assert.equal(hostOf(''), null);
    assert.equal(hostOf('   '), null);
    assert.equal(hostOf('file:///etc/passwd'), null);
    assert.equal(hostOf('http://'), null);
    assert.equal(hostOf(undefined as unknown as string), null);
  });
});

describe('domain globs', () => {
  it('*.x.com matches subdomains at any depth but not x.com itself', () => {
    assert.ok(m('*.x.com', 'a.x.com'));
    assert.ok(m('*.x.com', 'a.b.x.com'));
    assert.ok(!m('*.x.com', 'x.com'));
    assert.ok(!m('*.x.com', 'evilx.com'));
    assert.ok(!m('*.x.com', 'x.com.evil.net'));
    assert.ok(m('**.x.com', 'a.b.x.com'));
  });
  it('compares case-insensitively and ignores trailing dots, ports and URLs', () => {
    assert.ok(m('X.com.', 'x.com'));
    assert.ok(m('x.com', 'X.COM.'));
    assert.ok(m('x.com', 'https://user@X.com.:8443/a'));
    assert.ok(m('*.github.com', 'https://API.GitHub.com/repos'));
    assert.ok(!m('github.com', 'api.github.com'));
  });
  it('* alone matches every host; other wildcards may cross dots', () => {
    assert.ok(m('*', 'anything.example'));
    assert.ok(!m('*', ''));
    assert.ok(m('api.*.com', 'api.foo.com'));
    assert.ok(m('*example.com', 'example.com'));
    assert.ok(m('*example.com', 'evilexample.com'));
    assert.ok(m('pastebin.???', 'pastebin.com'));
  });
  it('accepts URL-shaped and internationalised patterns', () => {
    assert.ok(m('https://pastebin.com/', 'pastebin.com'));
    assert.ok(m('x.com:443', 'https://x.com/a'));
    assert.ok(m('https://*.x.com:8443/path', 'a.x.com'));
    assert.ok(m('user@*.x.com', 'a.x.com'));
    assert.ok(m('[::1]', 'http://[::1]:80/'));
    assert.ok(m('bücher.de', 'https://bücher.de/x'));
    assert.ok(m('*.bücher.de', 'shop.xn--bcher-kva.de'));
  });
});
