import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../gate/helpers';

const CLI = join(__dirname, '../../dist/cli.js');
const run = (cwd: string, home: string, ...args: string[]) =>
  spawnSync(process.execPath, [CLI, 'setup', 'claude-code', ...args], { cwd, encoding: 'utf8', env: { ...process.env, HOME: home } });

const EXISTING = {
  model: 'opus',
  permissions: { allow: ['Bash(npm test)'] },
  hooks: {
    PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'python3 .claude/hooks/pre_tool_use.py' }] }],
    Stop: [{ hooks: [{ type: 'command', command: 'say done' }] }],
  },
};

test('setup adds the hook, keeps every other setting, backs up, and is idempotent; --remove undoes it', () => {
  const project = tempDir('rl-setup-');
  const home = tempDir('rl-home-');
  mkdirSync(join(project, '.claude'));
  const file = join(project, '.claude/settings.local.json');
  writeFileSync(file, JSON.stringify(EXISTING, null, 2));

  const first = run(project, home);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /Installed the Rampart hook in .*settings\.local\.json \(backup: .*\.bak\)/);
  const installed = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(installed.model, 'opus');
  assert.deepEqual(installed.permissions, EXISTING.permissions);
  assert.deepEqual(installed.hooks.Stop, EXISTING.hooks.Stop);
  assert.deepEqual(installed.hooks.PreToolUse[0], EXISTING.hooks.PreToolUse[0]);
  assert.equal(installed.hooks.PreToolUse.length, 2);
  assert.equal(installed.hooks.PreToolUse[1].matcher, '*');
  assert.match(installed.hooks.PreToolUse[1].hooks[0].command, /cli\.js hook claude-code$/);
  // Claude Code lets a call through when the hook is cancelled: it must outlast the hook's own waits.
  assert.equal(installed.hooks.PreToolUse[1].hooks[0].timeout, 900);
  assert.deepEqual(JSON.parse(readFileSync(`${file}.bak`, 'utf8')), EXISTING);

  const again = run(project, home);
  assert.equal(again.status, 0);
  assert.match(again.stdout, /already installed/);
  assert.equal(readdirSync(join(project, '.claude')).filter((f) => f.endsWith('.bak')).length, 1, 'no second backup');

  const removed = run(project, home, '--remove');
  assert.equal(removed.status, 0, removed.stderr);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), EXISTING);
  assert.match(run(project, home, '--remove').stdout, /nothing to remove/);
});

test('an earlier install without the timeout is brought up to date, once', () => {
  const project = tempDir('rl-setup-');
  const home = tempDir('rl-home-');
  mkdirSync(join(project, '.claude'));
  const file = join(project, '.claude/settings.local.json');
  assert.equal(run(project, home).status, 0);
  const current = JSON.parse(readFileSync(file, 'utf8'));
  const old = structuredClone(current);
  delete old.hooks.PreToolUse[0].hooks[0].timeout;
  writeFileSync(file, JSON.stringify(old, null, 2));
  const r = run(project, home);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Installed the Rampart hook/);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), current);
  assert.match(run(project, home).stdout, /already installed/);
});

test('--user writes ~/.claude/settings.json, creating it', () => {
  const home = tempDir('rl-home-');
  const r = run(tempDir(), home, '--user');
  assert.equal(r.status, 0, r.stderr);
  const settings = JSON.parse(readFileSync(join(home, '.claude/settings.json'), 'utf8'));
  assert.equal(settings.hooks.PreToolUse.length, 1);
  const removed = run(tempDir(), home, '--user', '--remove');
  assert.equal(removed.status, 0);
  assert.deepEqual(JSON.parse(readFileSync(join(home, '.claude/settings.json'), 'utf8')), {});
});

test('malformed settings are reported with file:line:col and left untouched', () => {
  const project = tempDir('rl-setup-');
  mkdirSync(join(project, '.claude'));
  const file = join(project, '.claude/settings.local.json');
  const broken = '{\n  "model": "opus",\n  "hooks": {,\n}\n';
  writeFileSync(file, broken);
  const r = run(project, tempDir());
  assert.equal(r.status, 2);
  assert.match(r.stderr, /settings\.local\.json:3:\d+: invalid JSON/);
  assert.equal(readFileSync(file, 'utf8'), broken);
});

test('the hook names the real CLI file, not the link it was started through (node_modules/.bin, npx)', () => {
  const project = tempDir('rl-setup-');
  const bin = join(project, 'node_modules', '.bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(CLI, join(bin, 'rampart-learn'));
  const r = spawnSync(process.execPath, [join(bin, 'rampart-learn'), 'setup', 'claude-code'], { cwd: project, encoding: 'utf8', env: { ...process.env, HOME: tempDir('rl-home-') } });
  assert.equal(r.status, 0, r.stderr);
  const settings = JSON.parse(readFileSync(join(project, '.claude/settings.local.json'), 'utf8'));
  assert.equal(settings.hooks.PreToolUse[0].hooks[0].command, `${process.execPath} ${realpathSync(CLI)} hook claude-code`);
});

test('a CLI run from the npx cache is installed with a warning that npm may remove it', () => {
  const home = tempDir('rl-home-');
  const cached = join(home, '.npm', '_npx', '0123abcd', 'node_modules', 'rampart-learn', 'dist');
  mkdirSync(cached, { recursive: true });
  copyFileSync(CLI, join(cached, 'cli.js'));
  const r = spawnSync(process.execPath, [join(cached, 'cli.js'), 'setup', 'claude-code'], { cwd: tempDir('rl-setup-'), encoding: 'utf8', env: { ...process.env, HOME: home } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^rampart-learn: warning: the hook runs .*_npx.*cli\.js, inside npm's npx cache/);
});
