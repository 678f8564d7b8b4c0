import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditWriter, verifyAudit } from '../../src/core/audit';
import { execEvent, lines, tempDir, writeLog } from './helpers';

const CLI = join(__dirname, '../../dist/cli.js');
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, 'audit', 'verify', ...args], { encoding: 'utf8' });

/** Bytes that are no text format at all, newlines included, the same on every run. */
const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 73 + 41) % 256));

function fileWith(content: string | Buffer): string {
  const file = join(tempDir(), 'audit.jsonl');
  writeFileSync(file, content);
  return file;
}

/** What a writer killed mid-write leaves: the first `n` characters of a record, no newline. */
function cutRecord(file: string, n = 40): string {
  return lines(file)[0].slice(0, n);
}

const tornLines = (v: { torn: { line: number; message: string }[] }) => v.torn.map((t) => `${t.line}: ${t.message.replace(/ \(.*/, '')}`);

test('random bytes are not an audit log, reported once at the first line', async () => {
  const v = await verifyAudit(fileWith(garbage));
  assert.equal(v.ok, false);
  assert.equal(v.problem?.line, 1);
  assert.match(v.problem!.message, /^not an audit log \(no audit record\): not JSON/);
  assert.deepEqual(v.torn, [], 'garbage is never called a torn line');
});

test('JSON lines that are not audit records are not an audit log', async () => {
  const transcript = ['{"type":"user","sessionId":"s1","message":{"role":"user","content":"hi"}}', '{"type":"assistant","uuid":"u"}'];
  const v = await verifyAudit(fileWith(`${transcript.join('\n')}\n`));
  assert.equal(v.ok, false);
  assert.equal(v.problem?.line, 1);
  assert.match(v.problem!.message, /^not an audit log \(no audit record\): not an audit record \(no hash chain fields\)/);
});

test('an empty file holds no chain but is no error: the writer leaves one when stopped during its first write', async () => {
  const v = await verifyAudit(fileWith(''));
  assert.equal(v.ok, true);
  assert.equal(v.records, 0);
  assert.deepEqual(v.torn, []);
});

test('a file holding only a torn first record is an empty log with a torn last line', async () => {
  const file = fileWith(cutRecord(writeLog(1).file));
  const v = await verifyAudit(file);
  assert.equal(v.ok, true, JSON.stringify(v.problem));
  assert.equal(v.records, 0);
  assert.deepEqual(tornLines(v), ['1: torn last line skipped']);
});

test('a garbage line between records is an error even though the chain links up past it', async () => {
  const { file } = writeLog(4);
  const ls = lines(file);
  ls.splice(2, 0, 'x\u0001\u00ff not a record');
  writeFileSync(file, `${ls.join('\n')}\n`);
  const v = await verifyAudit(file);
  assert.equal(v.ok, false);
  assert.equal(v.problem?.line, 3);
  assert.match(v.problem!.message, /^edited or inserted: not JSON/);
  assert.deepEqual(v.torn, []);
});

test('a foreign JSON line between records is an error', async () => {
  const { file } = writeLog(3);
  const ls = lines(file);
  ls.splice(1, 0, '{"note":"added by hand"}');
  writeFileSync(file, `${ls.join('\n')}\n`);
  const v = await verifyAudit(file);
  assert.equal(v.ok, false);
  assert.equal(v.problem?.line, 2);
  assert.match(v.problem!.message, /^edited or inserted: not an audit record/);
});

test('garbage before the first record is an edit of an audit log, not a foreign file', async () => {
  const { file } = writeLog(3);
  writeFileSync(file, `garbage\n${lines(file).join('\n')}\n`);
  const v = await verifyAudit(file);
  assert.equal(v.ok, false);
  assert.equal(v.problem?.line, 1);
  assert.match(v.problem!.message, /^edited or inserted: not JSON/);
});

test('garbage at the end of the file is not a torn last line', async () => {
  const { file } = writeLog(2);
  appendFileSync(file, 'rm -rf / # not a record');
  const v = await verifyAudit(file);
  assert.equal(v.ok, false);
  assert.equal(v.problem?.line, 3);
  assert.match(v.problem!.message, /^edited or inserted/);
});

test('torn lines fenced off by later writers: only the final one is the torn last line, and appends chain past all', async () => {
  const { dir, file } = writeLog(2);
  appendFileSync(file, cutRecord(file, 30)); // killed mid-write
  appendFileSync(file, `\n${cutRecord(file, 60)}`); // the next writer fences it off, and is killed mid-write too
  let v = await verifyAudit(dir);
  assert.equal(v.ok, true, JSON.stringify(v.problem));
  assert.deepEqual(tornLines(v), ['3: torn line skipped', '4: torn last line skipped']);

  const w = AuditWriter.open(dir);
  w.append(execEvent('echo after-crashes'));
  w.close();
  v = await verifyAudit(dir);
  assert.equal(v.ok, true, JSON.stringify(v.problem));
  assert.equal(v.events, 3);
  assert.deepEqual(tornLines(v), ['3: torn line skipped', '4: torn line skipped']);
});

test('audit verify (CLI): not an audit log exits 1 with one file:line, no per-line warnings', () => {
  const file = fileWith(garbage);
  const r = cli(file);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout.split('\n').length, 2, r.stdout);
  assert.ok(r.stdout.startsWith(`${file}:1: not an audit log (no audit record): `), r.stdout);
});

test('audit verify (CLI): control characters of a bad line are shown, not sent to the terminal', () => {
  const file = fileWith('\u001b[2J\u001b]0;pwned\u0007 not json\n');
  const r = cli(file);
  assert.equal(r.status, 1);
  assert.doesNotMatch(r.stdout, /[\u0000-\u0009\u000b-\u001f]/);
  assert.match(r.stdout, /\\x1b\[2J/);
});

test('audit verify (CLI): an empty log exits 0 and says there is no chain to verify', () => {
  const r = cli(fileWith(''));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ok: empty log, no audit record in 1 file \(a writer stopped during its first write leaves one\); no chain to verify\n$/);
  assert.doesNotMatch(r.stdout, /chain intact/);
});

test('audit verify (CLI): a torn last line is a warning and the chain is intact', () => {
  const { file } = writeLog(2);
  appendFileSync(file, cutRecord(file));
  const r = cli(file);
  assert.equal(r.status, 0, r.stdout);
  assert.equal(r.stderr, `${file}:3: warning: torn last line skipped (a record cut short by a crash mid-write)\n`);
  assert.match(r.stdout, /^ok: 2 events, 0 completion records in 1 file; chain intact/);
});

test('a duplicated line is reported as duplicated at the copy, next to the original or further on', async () => {
  for (const [copyOf, at] of [
    [1, 2],
    [1, 4],
  ]) {
    const { file } = writeLog(4);
    const ls = lines(file);
    ls.splice(at, 0, ls[copyOf]);
    writeFileSync(file, `${ls.join('\n')}\n`);
    const v = await verifyAudit(file);
    assert.equal(v.ok, false);
    assert.equal(v.problem?.line, at + 1);
    assert.match(v.problem!.message, /^duplicated: /);
  }
});
