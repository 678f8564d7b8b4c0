import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const cli = join(__dirname, '../../dist/cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

test('--help lists every command with a summary', () => {
  const r = run('--help');
  assert.equal(r.status, 0);
  for (const name of ['check', 'test', 'lint', 'learn', 'wrap', 'analyze', 'train', 'predict']) {
    assert.match(r.stdout, new RegExp(`^  ${name}\\s+\\S`, 'm'));
  }
});

test('an unknown command is a one-line error with exit code 2', () => {
  const r = run('frobnicate');
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /unknown command "frobnicate"/);
});

test('an unknown option is a one-line usage error (exit 2) for every command', () => {
  for (const name of ['check', 'test', 'lint', 'analyze', 'apply', 'train', 'predict', 'audit', 'export-csv', 'generate-sample']) {
    const r = run(name, '--no-such-flag');
    assert.equal(r.status, 2, `${name}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, `${name}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^rampart-learn: ${name}: Unknown option '--no-such-flag'`));
  }
});
