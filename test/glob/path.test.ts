import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { describe, it } from 'node:test';
import { compilePathGlob, normalizePath } from '../../src/core/glob/index';

const HOME = '/home/u';
const m = (pattern: string, path: string): boolean => compilePathGlob(pattern, { home: HOME })(path);

describe('normalizePath', () => {
  const n = (p: string, cwd?: string): string => normalizePath(p, { home: HOME, cwd });
  it('expands ~ and $HOME', () => {
    assert.equal(n('~'), HOME);
    assert.equal(n('~/.ssh/id_rsa'), `${HOME}/.ssh/id_rsa`);
    assert.equal(n('$HOME/.aws/credentials'), `${HOME}/.aws/credentials`);
    assert.equal(n('${HOME}/x'), `${HOME}/x`);
    assert.equal(n('~other/x'), '~other/x');
    assert.equal(n('$HOMEDIR/x'), '$HOMEDIR/x');
    assert.equal(normalizePath('~'), homedir());
  });
  it('resolves . and .., duplicate slashes, trailing slashes and backslashes', () => {
    assert.equal(n('/a//b/./c/../d/'), '/a/b/d');
    assert.equal(n('/../../etc/passwd'), '/etc/passwd');
    assert.equal(n('//etc///shadow'), '/etc/shadow');
    assert.equal(n('..\\..\\etc\\passwd', '/w/a'), '/etc/passwd');
    assert.equal(n('C:\\Users\\x\\..\\y'), 'C:/Users/y');
    assert.equal(n('/'), '/');
  });
  it('reduces the Windows spellings of a file to its name: trailing dots and spaces, the data stream', () => {
    assert.equal(n('C:/proj/.env::$DATA'), 'C:/proj/.env');
    assert.equal(n('C:\\proj\\.env .'), 'C:/proj/.env');
    assert.equal(n('/p/.vscode./tasks.json.'), '/p/.vscode/tasks.json');
    assert.equal(n('/p/x:stream:$data'), '/p/x');
    assert.equal(n('/p/a.b/c'), '/p/a.b/c');
    assert.equal(n('...'), '...');
  });
  it('resolves relative paths against cwd when given', () => {
    assert.equal(n('src/a.ts', '/repo'), '/repo/src/a.ts');
    assert.equal(n('./x/../../../etc/passwd', '/repo'), '/etc/passwd');
    assert.equal(n('../.ssh/id_rsa', '~/proj'), `${HOME}/.ssh/id_rsa`);
    assert.equal(n('/abs/path', '/repo'), '/abs/path');
  });
  it('keeps relative paths relative without cwd', () => {
    assert.equal(n('a/./b/../c'), 'a/c');
    assert.equal(n('../x'), '../x');
    assert.equal(n('./.env'), '.env');
    assert.equal(n('.'), '.');
  });
  it('returns an empty string for empty or non-string input', () => {
    assert.equal(n(''), '');
    assert.equal(normalizePath(undefined as unknown as string), '');
  });
});

describe('path globs', () => {
  it('* stays within a segment, ** crosses segments', () => {
    assert.ok(m('/etc/*', '/etc/passwd'));
    assert.ok(!m('/etc/*', '/etc/ssh/sshd_config'));
    assert.ok(m('/etc/**', '/etc/ssh/sshd_config'));
    assert.ok(m('/etc/**', '/etc'));
    assert.ok(m('/a/**/z', '/a/b/c/z'));
    assert.ok(m('/a/**/z', '/a/z'));
  });
  it('a leading **/ also matches zero directories', () => {
    assert.ok(m('**/.env', '.env'));
    assert.ok(m('**/.env', '/repo/.env'));
    assert.ok(m('**/.env', 'a/b/.env'));
    assert.ok(!m('**/.env', '/repo/.envrc'));
  });
  it('matches dotfiles and dot directories', () => {
    assert.ok(m('~/.ssh/*', `${HOME}/.ssh/id_rsa`));
    assert.ok(m('~/**', `${HOME}/.config/gh/hosts.yml`));
    assert.ok(m('**/*.pem', '/x/.hidden/key.pem'));
  });
  it('expands ~ and $HOME in patterns', () => {
    assert.ok(m('~/.aws/**', `${HOME}/.aws/credentials`));
    assert.ok(m('$HOME/.netrc', `${HOME}/.netrc`));
    assert.ok(!m('~/.netrc', '/root/.netrc'));
  });
  it('matches slash-less patterns against the last segment', () => {
    assert.ok(m('*.pem', '/etc/ssl/private/server.pem'));
    assert.ok(m('id_rsa', `${HOME}/.ssh/id_rsa`));
    assert.ok(!m('id_rsa', `${HOME}/.ssh/id_rsa.pub`));
    assert.ok(m('id_rsa*', `${HOME}/.ssh/id_rsa.pub`));
    assert.ok(m('.env', '/repo/.env'));
  });
  it('compares literal patterns in normalised form', () => {
    assert.ok(m('/etc//passwd', '/etc/passwd'));
    assert.ok(m('/etc/shadow/', '/etc/shadow'));
    assert.ok(!m('/etc/passwd', '/etc/passwd.bak'));
  });
  it('is case-sensitive unless nocase is set', () => {
    assert.ok(!m('~/.SSH/*', `${HOME}/.ssh/id_rsa`));
    assert.ok(compilePathGlob('~/.SSH/*', { home: HOME, nocase: true })(`${HOME}/.ssh/id_rsa`));
    assert.ok(compilePathGlob('/ETC/PASSWD', { nocase: true })('/etc/passwd'));
  });
  it('works on normalised hostile spellings', () => {
    const g = compilePathGlob('~/.ssh/**', { home: HOME });
    for (const raw of ['~/.ssh/id_rsa', '~//.ssh/./id_rsa', '/tmp/../home/u/.ssh/id_rsa', '..\\.ssh\\id_rsa']) {
      assert.ok(g(normalizePath(raw, { home: HOME, cwd: `${HOME}/proj` })), raw);
    }
  });
});
