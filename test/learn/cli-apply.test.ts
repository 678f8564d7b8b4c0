import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderFragment } from '../../src/core/learn/format-yaml';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'learn');

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rl-apply-'));
  copyFileSync(join(FIXTURES, 'policy-commented.yaml'), join(dir, 'rampart.yaml'));
  const s = JSON.parse(readFileSync(join(FIXTURES, 'suggestions-basic.json'), 'utf8'));
  writeFileSync(join(dir, 'rampart-learn.yaml'), renderFragment(s, { generatedBy: 't', generatedAt: new Date(0), durationMs: 1, toolCalls: 1 }));
  return dir;
}

test('apply writes a backup, prints a diff, and a second apply adds nothing', () => {
  const dir = workspace();
  const original = readFileSync(join(dir, 'rampart.yaml'), 'utf8');
  const first = cli(['apply', 'rampart-learn.yaml'], dir);
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /^\+\s+- "npm run \*"/m);
  assert.match(first.out, /Added 9 patterns to rampart\.yaml \(backup: rampart\.yaml\.bak\)/);
  assert.match(first.out, /^Next: rampart-learn lint rampart\.yaml && rampart-learn test rampart\.yaml$/m);
  assert.equal(readFileSync(join(dir, 'rampart.yaml.bak'), 'utf8'), original);
  assert.equal(readFileSync(join(dir, 'rampart.yaml'), 'utf8'), readFileSync(join(FIXTURES, 'policy-commented.merged.yaml'), 'utf8'));
  const second = cli(['apply', 'rampart-learn.yaml', '--policy', 'rampart.yaml'], dir);
  assert.equal(second.code, 0);
  assert.match(second.out, /Nothing to add/);
  assert.equal(readdirSync(dir).filter((f) => f.endsWith('.bak')).length, 1);
});

test('--select and --dry-run; a second backup never overwrites the first', () => {
  const dir = workspace();
  const dry = cli(['apply', 'rampart-learn.yaml', '--select', 'ls', '--dry-run'], dir);
  assert.equal(dry.code, 0, dry.err);
  assert.match(dry.out, /would add 1 pattern/);
  assert.ok(!existsSync(join(dir, 'rampart.yaml.bak')));
  assert.equal(cli(['apply', 'rampart-learn.yaml', '--select', 'ls'], dir).code, 0);
  const r = cli(['apply', 'rampart-learn.yaml', '--select', 'pypi.org', '--select', 'src/**'], dir);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Added 2 patterns/);
  const backups = readdirSync(dir).filter((f) => f.endsWith('.bak'));
  assert.equal(backups.length, 2);
  assert.ok(backups.some((b) => /^rampart\.yaml\.\d{8}T\d{6}Z\.bak$/.test(b)), backups.join());
  // The next step it names can be pasted: a policy name with a space is quoted.
  renameSync(join(dir, 'rampart.yaml'), join(dir, 'team policy.yaml'));
  const spaced = cli(['apply', 'rampart-learn.yaml', '--policy', 'team policy.yaml', '--select', 'npm run *'], dir);
  assert.equal(spaced.code, 0, spaced.err);
  assert.match(spaced.out, /^Next: rampart-learn lint 'team policy\.yaml' && rampart-learn test 'team policy\.yaml'$/m);
});

test('bad input: one-line errors with locations, exit 2, policy untouched', () => {
  const dir = workspace();
  writeFileSync(join(dir, 'broken.yaml'), 'version: "1"\npolicies:\n  - name: [x\n');
  const before = readFileSync(join(dir, 'rampart.yaml'), 'utf8');
  const bad = cli(['apply', 'broken.yaml'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /^rampart-learn: broken\.yaml:\d+:\d+: invalid YAML/);
  assert.equal(bad.err.trim().split('\n').length, 1);
  assert.equal(cli(['apply', 'missing.yaml'], dir).code, 2);
  const sel = cli(['apply', 'rampart-learn.yaml', '--select', 'curl *'], dir);
  assert.equal(sel.code, 2);
  assert.match(sel.err, /"curl \*" is not in the fragment/);
  assert.equal(readFileSync(join(dir, 'rampart.yaml'), 'utf8'), before);
  assert.ok(!existsSync(join(dir, 'rampart.yaml.bak')));
  assert.match(cli(['apply', '--help'], dir).out, /Usage: rampart-learn apply/);
});

test('a symlinked policy is changed where the link points, and the link stays a link', () => {
  const dir = workspace();
  renameSync(join(dir, 'rampart.yaml'), join(dir, 'team.yaml'));
  symlinkSync('team.yaml', join(dir, 'rampart.yaml'));
  const r = cli(['apply', 'rampart-learn.yaml'], dir);
  assert.equal(r.code, 0, r.err);
  assert.ok(lstatSync(join(dir, 'rampart.yaml')).isSymbolicLink());
  assert.equal(readFileSync(join(dir, 'team.yaml'), 'utf8'), readFileSync(join(FIXTURES, 'policy-commented.merged.yaml'), 'utf8'));
});

test('a read-only policy is refused before any backup, and a non-UTF-8 one is refused at the bad byte', () => {
  const dir = workspace();
  const policy = join(dir, 'rampart.yaml');
  chmodSync(policy, 0o444);
  const before = readFileSync(policy);
  const r = cli(['apply', 'rampart-learn.yaml'], dir);
  assert.equal(r.code, 2);
  assert.match(r.err, /rampart\.yaml is read-only; make it writable/);
  assert.deepEqual(readFileSync(policy), before);
  assert.ok(!existsSync(`${policy}.bak`));

  chmodSync(policy, 0o644);
  writeFileSync(policy, Buffer.concat([Buffer.from('version: "1"\npolicies:\n  - name: x # caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
  const latin1 = readFileSync(policy);
  const bad = cli(['apply', 'rampart-learn.yaml'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /rampart\.yaml:3:18: invalid UTF-8 \(byte 0xe9\)/);
  assert.deepEqual(readFileSync(policy), latin1);
});

test('applies at the same time keep every pattern: each waits for the lock of the other', async () => {
  const dir = workspace();
  const patterns = ['git status*', 'npm run *', 'python3 scripts/*', 'ls'];
  const run = (p: string) => new Promise<number | null>((done) => {
    spawn(process.execPath, [CLI, 'apply', 'rampart-learn.yaml', '--select', p], { cwd: dir, stdio: 'ignore' }).on('exit', done);
  });
  assert.deepEqual(await Promise.all(patterns.map(run)), [0, 0, 0, 0]);
  const text = readFileSync(join(dir, 'rampart.yaml'), 'utf8');
  for (const p of patterns) assert.ok(text.includes(`- "${p}"`), `${p} was lost`);
  assert.ok(!existsSync(join(dir, 'rampart.yaml.lock')));
});
