import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditWriter } from '../../src/core/audit';
import { tempDir } from '../gate/helpers';

const CLI = join(__dirname, '../../dist/cli.js');
const verify = (...args: string[]) => spawnSync(process.execPath, [CLI, 'audit', 'verify', ...args], { encoding: 'utf8' });

function log(): string {
  const dir = join(tempDir('rl-auditcli-'), 'audit');
  const w = AuditWriter.open(dir);
  for (let i = 0; i < 5; i++) {
    w.append({ agent: 'a', session: 's', tool: 'exec', request: { command: `echo ${i}` },
      decision: { action: 'allow', policy: null, rule: null, message: '', eval_us: 1, enforced: false, mode: 'monitor' } });
  }
  w.close();
  return dir;
}

test('audit verify: ok on an intact log, file:line of the first tampered line otherwise', () => {
  const dir = log();
  const ok = verify(dir);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^ok: 5 events, 0 completion records in 1 file; chain intact, head [0-9a-f]{64}\n$/);

  const file = join(dir, 'audit.jsonl');
  const lines = readFileSync(file, 'utf8').split('\n');
  lines[3] = lines[3].replace('echo 3', 'echo 4');
  writeFileSync(file, lines.join('\n'));
  const bad = verify(file);
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4: edited`));

  const json = verify('--json', dir);
  assert.equal(json.status, 1);
  assert.equal(JSON.parse(json.stdout).problem.line, 4);
});

test('audit verify: usage errors exit 2 with one line', () => {
  const missing = verify('/nonexistent/audit');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no such file or directory/);
  const usage = spawnSync(process.execPath, [CLI, 'audit', 'frob'], { encoding: 'utf8' });
  assert.equal(usage.status, 2);
  assert.equal(usage.stderr.trim().split('\n').length, 1);
});
