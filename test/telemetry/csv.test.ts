import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import {
  COLUMNS,
  generateSampleRows,
  neutraliseCell,
  restoreCell,
  telemetryCsv,
  TelemetryStore,
  type TelemetryRow,
  type TelemetryEventInput,
} from '../../src/core/telemetry/index';
import { closeLater, recentTs, SHARED_DATA, tempDir } from './helpers';

// default options: the reader detects the CRLF record delimiter itself
const parseCsv = (text: string) => parse(text, { columns: true }) as Record<string, string>[];

/** The same rows through csv-stringify (RFC 4180, CRLF), with the same neutralisation. */
function csvStringifyOracle(rows: TelemetryRow[]): string {
  const records = rows.map((r) => COLUMNS.map((c) => (r[c] === null ? '' : typeof r[c] === 'string' ? neutraliseCell(r[c] as string) : r[c])));
  return stringify(records, { header: true, columns: [...COLUMNS], record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

test('formula cells are neutralised and restored exactly', () => {
  for (const [cell, out] of [
    ['=HYPERLINK("http://x")', `'=HYPERLINK("http://x")`],
    ['+1', `'+1`],
    ['-rf', `'-rf`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tcmd', `'\tcmd`],
    ['\rcmd', `'\rcmd`],
    [`'=already`, `''=already`],
    [`'rm' -rf /`, `'rm' -rf /`],
    ['git status', 'git status'],
    ['', ''],
  ]) {
    assert.equal(neutraliseCell(cell), out, cell);
    assert.equal(restoreCell(neutraliseCell(cell)), cell, cell);
  }
});

test('export: RFC 4180 quoting round-trips through csv-parse; formulas neutralised; effective labels filled in', async (t) => {
  const dir = tempDir(t);
  const store = closeLater(t, await TelemetryStore.open(join(dir, 'telemetry.sqlite')));
  const tricky: TelemetryEventInput[] = ([
    { command: 'echo "a, b" && printf \'%s\\n\' "x"', stdout: 'line 1\nline 2\r\nline 3', stderr: 'he said "no"' },
    { command: '=cmd|\' /C calc\'!A0', stdout: '+SUM(1,2)', stderr: '@evil' },
    { command: '-x', stdout: '\tTAB', metadata: { note: 'comma, "quote"\nnewline' } },
    { command: "'=x", exit_code: -1, safety_score: 75, safety_label: 0, tab_id: 3 },
    { command: 'ünïcödé ✓ 🚀', batch_id: 's1' },
  ] as Partial<TelemetryEventInput>[]).map((e, i) => ({ event_type: 'command', tool: 'exec', ts: recentTs(i), ...e }));
  const rows = await store.insertMany(tricky);
  await store.labelEvent(rows[3].id, 1, { who: 'alice', why: 'formula-looking command' });

  const out = join(dir, 'export.csv');
  assert.equal(await store.exportCsv(out), 5);
  const text = readFileSync(out, 'utf8');
  assert.ok(text.startsWith(`${COLUMNS.join(',')}\r\n`));
  const records = parseCsv(text);
  assert.equal(records.length, 5);
  for (const [i, rec] of records.entries()) {
    const row = rows[i];
    for (const c of COLUMNS) {
      if (c === 'safety_label' || (c === 'metadata' && i === 3)) continue;
      const v = row[c];
      assert.equal(restoreCell(rec[c]), v === null ? '' : String(v), `${c} of row ${i}`);
    }
    for (const c of ['command', 'stdout', 'stderr'] as const) assert.doesNotMatch(rec[c], /^[=+\-@\t\r]/, 'no cell starts a formula');
  }
  assert.equal(records[3].safety_label, '1', 'the review wins over the recorded 0');
  // Who reviewed it, why and when travel with the label (the event's own metadata kept).
  const reviewed = JSON.parse(restoreCell(records[3].metadata)) as { review: { who: string; why: string; at: string } };
  assert.deepEqual({ ...reviewed.review, at: typeof reviewed.review.at }, { who: 'alice', why: 'formula-looking command', at: 'string' });
  assert.deepEqual(Object.keys(reviewed).filter((k) => k !== 'review'), Object.keys(JSON.parse(rows[3].metadata ?? '{}')));
  assert.equal(records[3].exit_code, '-1', 'numbers are not neutralised');
  assert.equal(records[1].command, `'=cmd|' /C calc'!A0`);
  assert.equal(records[0].safety_label, '');
  assert.equal(text, csvStringifyOracle([...store.labelledRows()]), 'byte-identical to csv-stringify');
  assert.equal(telemetryCsv([], true), csvStringifyOracle([]));

  await store.exportCsv(out, { includeLabelEvents: true });
  const withLabels = parseCsv(readFileSync(out, 'utf8'));
  assert.equal(withLabels.length, 6);
  assert.equal(withLabels.filter((r) => r.event_type === 'label').length, 1);
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp-')), [], 'no temp files left');
});

test('real agent commands survive the store and the CSV unchanged', async (t) => {
  const dir = tempDir(t);
  const store = closeLater(t, await TelemetryStore.open(join(dir, 'telemetry.sqlite')));
  const sessions = join(SHARED_DATA, 'agent-sessions');
  const commands: string[] = [];
  for (const f of readdirSync(sessions).filter((f) => f.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(sessions, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const call = JSON.parse(line) as { tool: string; command?: string };
      if (call.tool === 'exec' && typeof call.command === 'string') commands.push(call.command);
    }
  }
  assert.ok(commands.length > 1_000, `expected real commands in ${sessions}`);
  await store.insertMany(commands.map((command, i) => ({ event_type: 'command', tool: 'exec', command, ts: recentTs(i) })));
  const out = join(dir, 'real.csv');
  await store.exportCsv(out);
  const text = readFileSync(out, 'utf8');
  const back = parseCsv(text).map((r) => restoreCell(r.command));
  // unpaired UTF-16 surrogates (present in real logs) have no UTF-8 form: they become U+FFFD
  assert.deepEqual(back, commands.map((c) => Buffer.from(c, 'utf8').toString('utf8')));
  assert.equal(text, csvStringifyOracle([...store.labelledRows()]), 'byte-identical to csv-stringify');
});

test('sample rows: both labels, varied commands, the export format', () => {
  const rows = generateSampleRows(500, { seed: 7 });
  assert.equal(rows.length, 500);
  const unsafe = rows.filter((r) => r.safety_label === 1);
  assert.ok(unsafe.length > 100 && unsafe.length < 250, `about 30% unsafe, got ${unsafe.length}`);
  assert.ok(new Set(rows.map((r) => r.command)).size > 250, 'commands vary');
  assert.ok(new Set(rows.map((r) => r.command!.split(' ')[0])).size > 20, 'many binaries');
  assert.deepEqual(generateSampleRows(500, { seed: 7 }), rows, 'a seed gives the same rows');
  assert.notDeepEqual(generateSampleRows(50, { seed: 8 }), generateSampleRows(50, { seed: 7 }));
  assert.deepEqual(new Set(generateSampleRows(2).map((r) => r.safety_label)), new Set([0, 1]));
  for (const r of rows) JSON.parse(r.metadata!);
});
