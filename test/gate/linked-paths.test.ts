import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { evaluateFollowingLinks, linkTarget, startGate } from '../../src/core/gate';
import { parsePolicyText } from '../../src/core/policy';
import type { ToolCall } from '../../src/core/types';

const POLICY = `version: "1"
default_action: allow
policies:
  - name: credentials
    match: { tool: [read, write, edit] }
    rules:
      - action: deny
        message: credential file
        when: { path_matches: ['**/.ssh/**'] }
  - name: settings
    match: { tool: [write, edit] }
    rules:
      - action: ask
        when: { path_matches: ['**/.vscode/settings.json'] }
`;

/** A project whose links lead into a fake home's .ssh folder and to a settings file. */
function fixture() {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'rl-links-')));
  const home = join(root, 'home');
  const proj = join(root, 'proj');
  mkdirSync(join(home, '.ssh'), { recursive: true });
  mkdirSync(join(proj, '.vscode'), { recursive: true });
  mkdirSync(join(proj, 'src'));
  writeFileSync(join(home, '.ssh', 'id_rsa'), 'key');
  writeFileSync(join(proj, 'src', 'a.ts'), '');
  writeFileSync(join(proj, '.vscode', 'settings.json'), '{}');
  symlinkSync(join(home, '.ssh', 'id_rsa'), join(proj, 'src', 'keys'));
  symlinkSync(join(home, '.ssh'), join(proj, 'out'));
  symlinkSync(join(proj, '.vscode', 'settings.json'), join(proj, 'src', 'cfg.json'));
  const { set } = parsePolicyText(POLICY, 'p.yaml');
  return { root, home, proj, set: set! };
}

const call = (tool: string, path: string, cwd: string): ToolCall => ({ tool, params: { path }, cwd });

test('a read or write through a symbolic link is judged as the file it leads to as well', () => {
  const { home, proj, set } = fixture();
  const read = evaluateFollowingLinks(set, call('read', 'src/keys', proj));
  assert.equal(read.action, 'deny');
  assert.equal(read.policy, 'credentials');
  assert.match(read.message, /credential file \(src\/keys leads to .*\/home\/\.ssh\/id_rsa\)/);
  // a file that does not exist yet, in a linked folder
  assert.equal(evaluateFollowingLinks(set, call('write', join(proj, 'out', 'authorized_keys'), proj)).action, 'deny');
  // the stricter decision wins, ask included
  assert.equal(evaluateFollowingLinks(set, call('edit', 'src/cfg.json', proj)).action, 'ask');
  // plain files and a link read through its own path are unchanged
  assert.equal(evaluateFollowingLinks(set, call('read', 'src/a.ts', proj)).action, 'allow');
  assert.equal(evaluateFollowingLinks(set, call('read', 'src/new.ts', proj)).action, 'allow');
  assert.equal(evaluateFollowingLinks(set, call('read', join(home, '.ssh', 'id_rsa'), proj)).action, 'deny');
  assert.equal(evaluateFollowingLinks(set, call('read', 'src/cfg.json', proj)).action, 'allow', 'the settings rule asks for writes only');
});

test('linkTarget: null for the path itself, a missing tree, or a relative path without a cwd', () => {
  const { proj } = fixture();
  assert.equal(linkTarget(join(proj, 'src', 'a.ts')), null);
  assert.equal(linkTarget(join(proj, 'no', 'such', 'dir', 'x')), null);
  assert.equal(linkTarget('src/keys'), null);
  assert.match(linkTarget('src/keys', proj) ?? '', /\/home\/\.ssh\/id_rsa$/);
});

test('the gate blocks a read through a link in enforce mode and records why', async (t) => {
  const { root, proj } = fixture();
  writeFileSync(join(root, 'rampart.yaml'), POLICY);
  const gate = await startGate({ policy: join(root, 'rampart.yaml'), mode: 'enforce', auditDir: join(root, 'audit'), agent: 'test', runtimeDir: join(root, 'run') });
  t.after(() => gate.close());
  const v = await gate.decide(call('read', 'src/keys', proj));
  assert.equal(v.run, false);
  assert.equal(v.event.decision.action, 'deny');
  assert.match(v.event.decision.message, /leads to/);
});
