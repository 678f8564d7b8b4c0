import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, constants, copyFileSync, existsSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync, symlinkSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { TelemetryStore, type TelemetryRow } from '../../src/core/telemetry/index';
import { Journal } from '../../src/core/telemetry/journal';
import { loadSqlJs } from '../../src/core/telemetry/sqljs';
import { closeLater, commandEvent, tempDir } from './helpers';

const NO_SAVE = { saveDebounceMs: 3_600_000, saveMaxWaitMs: 3_600_000 };

test('inserted events come back newest first, filtered and paged', async (t) => {
  const db = join(tempDir(t), 'telemetry.sqlite');
  const store = await TelemetryStore.open(db);
  closeLater(t, store);
  const rows = await store.insertMany(Array.from({ length: 50 }, (_, i) => commandEvent(i)));
  assert.equal(rows.length, 50);
  assert.match(rows[0].id, /^[0-9A-Z]{26}$/);

  const recent = store.queryRecent(10);
  assert.deepEqual(recent.map((r) => r.command), Array.from({ length: 10 }, (_, i) => `npm run task-${49 - i}`));
  assert.equal(recent[0].effective_label, null);

  const page2 = store.queryRecent(10, { offset: 10 });
  const keyset = store.queryRecent(10, { before: { ts: recent[9].ts, id: recent[9].id } });
  assert.deepEqual(keyset.map((r) => r.id), page2.map((r) => r.id));

  assert.ok(store.queryRecent(100, { tool: 'read' }).every((r) => r.tool === 'read'));
  assert.equal(store.countEvents({ tool: 'read' }), 17);
  assert.equal(store.queryRecent(100, { decision: 'deny' }).length, 10);
  assert.equal(store.queryRecent(100, { session: 'session-1' }).length, 13);
  assert.deepEqual(store.queryRecent(100, { text: 'TASK-4' }).map((r) => r.command).sort(), ['npm run task-4', ...Array.from({ length: 10 }, (_, i) => `npm run task-${40 + i}`)].sort());
  assert.throws(() => store.queryRecent(0), /limit: expected an integer/);
});

test('the search filter matches the command, the tool or the agent, with other filters and paging', async (t) => {
  const store = await TelemetryStore.open(join(tempDir(t), 'telemetry.sqlite'));
  closeLater(t, store);
  await store.insertMany([
    commandEvent(1, { command: 'git status', metadata: { agent: 'Claude-Code', decision: { action: 'allow' } } }),
    commandEvent(2, { command: 'npm test', tool: 'exec', metadata: { agent: 'qa-learn', decision: { action: 'deny' } } }),
    commandEvent(3, { command: 'cat notes.txt', tool: 'read', metadata: { agent: 'aider', decision: { action: 'allow' } } }),
    commandEvent(4, { command: 'ls', tool: 'exec', metadata: {} }),
    commandEvent(5, { command: null, tool: 'fetch', metadata: undefined }),
  ]);
  const commands = (f: Parameters<TelemetryStore['queryRecent']>[1]) => store.queryRecent(100, f).map((r) => r.command).sort();
  assert.deepEqual(commands({ search: 'QA-LEARN' }), ['npm test'], 'the agent, case-insensitively');
  assert.deepEqual(commands({ search: 'claude' }), ['git status']);
  assert.deepEqual(commands({ search: 'read' }), ['cat notes.txt'], 'the tool');
  assert.deepEqual(commands({ search: 'notes' }), ['cat notes.txt'], 'the command');
  assert.deepEqual(commands({ search: 'fetch' }), [null], 'a row without a command or metadata still matches its tool');
  assert.deepEqual(commands({ search: 'a', decision: 'deny' }), ['npm test'], 'with another filter (its parameters stay in order)');
  assert.equal(store.countEvents({ search: 'ST', tool: 'exec' }), 2);
  assert.deepEqual(store.queryRecent(1, { search: 'ST', tool: 'exec', offset: 1 }).map((r) => r.command), ['git status']);
  assert.deepEqual(commands({ text: 'qa-learn' }), [], '`text` stays a command search (the CLI\'s --text)');
});

test('a label is a new event; the original row is never edited; the latest label wins', async (t) => {
  const db = join(tempDir(t), 'telemetry.sqlite');
  const store = await TelemetryStore.open(db);
  closeLater(t, store);
  const [a, b] = await store.insertMany([commandEvent(1, { command: 'curl x | sh', safety_label: 0 }), commandEvent(2)]);
  const before = store.getEvent(a.id)!;

  const first = await store.labelEvent(a.id, 1, { who: 'alice', why: 'pipes a download into a shell' });
  const second = await store.labelEvent(a.id, 2, { who: 'bob', why: 'not sure any more' });
  const after = store.getEvent(a.id)!;
  const { effective_label: _e1, review_why: _w1, ...origBefore } = before;
  const { effective_label: _e2, review_why: _w2, ...origAfter } = after;
  assert.deepEqual(origAfter, origBefore, 'the reviewed row is unchanged');
  assert.equal(after.review_why, 'not sure any more', 'the latest review says why');
  assert.equal(after.safety_label, 0);
  assert.equal(after.effective_label, 2);

  assert.equal(first.event_type, 'label');
  assert.equal(first.command, 'curl x | sh');
  const meta = JSON.parse(first.metadata!);
  assert.equal(meta.ref, a.id);
  assert.equal(meta.who, 'alice');
  assert.equal(meta.why, 'pipes a download into a shell');
  assert.ok(Date.parse(meta.at) > 0);
  assert.equal(meta.previous, 0);
  assert.equal(JSON.parse(second.metadata!).previous, 1);

  assert.deepEqual(
    { label: store.effectiveLabel(a.id)?.label, who: store.effectiveLabel(a.id)?.who, source: store.effectiveLabel(a.id)?.source },
    { label: 2, who: 'bob', source: 'review' },
  );
  assert.equal(store.effectiveLabel('curl x | sh')?.label, 2, 'by command');
  assert.equal(store.effectiveLabel(b.id), null);
  assert.equal(store.effectiveLabel('never seen'), null);
  // label events are folded in, not listed as events
  assert.equal(store.countEvents(), 2);
  assert.equal(store.countEvents({ eventType: 'label' }), 2);
  assert.deepEqual(store.queryRecent(10, { label: 2 }).map((r) => r.id), [a.id]);
  assert.deepEqual(store.queryRecent(10, { label: 'none' }).map((r) => r.id), [b.id]);
  assert.deepEqual(store.queryRecent(10, { label: 0 }), [], 'the recorded 0 was overruled by the review');
  assert.deepEqual(store.labelCounts(), { safe: 0, unsafe: 0, unknown: 1, unlabelled: 1, total: 2 });

  await assert.rejects(store.labelEvent('nope', 1, { who: 'a', why: 'b' }), /no telemetry event with id "nope"/);
  await assert.rejects(store.labelEvent(first.id, 1, { who: 'a', why: 'b' }), /is itself a label event/);
  await assert.rejects(store.labelEvent(b.id, 1, { who: 'a', why: ' ' }), /"why" is required/);
  await assert.rejects(store.labelEvent(b.id, 7 as never, { who: 'a', why: 'b' }), /expected 0 \(safe\)/);
});

test('bad input is refused with the field named, and nothing is stored', async (t) => {
  const db = join(tempDir(t), 'telemetry.sqlite');
  const store = await TelemetryStore.open(db, { maxOutputChars: 100, maxEventChars: 10_000 });
  closeLater(t, store);
  await assert.rejects(store.insertEvent({ event_type: 'command', exit_code: 1.5 }), /event\.exit_code: expected an integer/);
  await assert.rejects(store.insertEvent({ event_type: 'command', metadata: '{oops' }), /event\.metadata: not valid JSON/);
  await assert.rejects(store.insertEvent({ event_type: 'command', ts: 'yesterday' }), /event\.ts: not a date/);
  await assert.rejects(store.insertEvent({ event_type: 'command', colour: 'red' } as never), /event\.colour: unknown field/);
  await assert.rejects(store.insertEvent({ event_type: 'command', safety_score: 101 }), /safety_score: expected an integer from 0 to 100/);
  await assert.rejects(store.insertEvent({ event_type: 'command', command: 'x'.repeat(20_000) }), /exceeds the 10000-character limit/);
  await assert.rejects(
    store.insertMany([commandEvent(1), { event_type: 'command', safety_label: 5 as never }]),
    /events\[1\]\.safety_label/,
  );
  const ok = await store.insertEvent({ id: 'fixed', event_type: 'command', stdout: 'y'.repeat(500) });
  assert.match(ok.stdout!, /^y{100}…\[400 more characters\]$/);
  await assert.rejects(store.insertMany([commandEvent(2), { id: 'fixed', event_type: 'command' }]), /duplicate event id "fixed"/);
  assert.equal(store.countEvents(), 1, 'the rejected batch stored nothing');
});

test('events survive close and reopen; journal entries newer than the saved database are replayed', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'telemetry.sqlite');
  let store = await TelemetryStore.open(db, NO_SAVE);
  await store.insertMany(Array.from({ length: 20 }, (_, i) => commandEvent(i)));
  await store.close();
  assert.ok(existsSync(db));

  store = await TelemetryStore.open(db, NO_SAVE);
  const later = await store.insertMany(Array.from({ length: 5 }, (_, i) => commandEvent(100 + i)));
  // Copy the files as a crash would leave them: the snapshot lacks the last 5 events.
  const crash = join(dir, 'crash');
  require('node:fs').mkdirSync(crash);
  copyFileSync(db, join(crash, 'telemetry.sqlite'));
  copyFileSync(`${db}.journal`, join(crash, 'telemetry.sqlite.journal'));
  await store.close();

  const reopened = await TelemetryStore.open(join(crash, 'telemetry.sqlite'));
  closeLater(t, reopened);
  assert.equal(reopened.countEvents(), 25);
  for (const r of later) assert.equal(reopened.getEvent(r.id)?.command, r.command);
  assert.deepEqual(reopened.warnings, []);
});

test('a corrupt database is moved aside and rebuilt from the journal, with a warning', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'telemetry.sqlite');
  let store = await TelemetryStore.open(db);
  const rows = await store.insertMany(Array.from({ length: 30 }, (_, i) => commandEvent(i)));
  await store.labelEvent(rows[3].id, 1, { who: 'alice', why: 'test' });
  await store.close();
  const bytes = readFileSync(db);
  bytes.fill(0x5a, 0, 4096); // clobber the header page
  writeFileSync(db, bytes);

  const warnings: string[] = [];
  store = await TelemetryStore.open(db, { onWarning: (w) => warnings.push(w) });
  closeLater(t, store);
  assert.equal(store.countEvents(), 30);
  assert.equal(store.effectiveLabel(rows[3].id)?.label, 1);
  assert.match(warnings.join('\n'), /database is corrupt .*moved it to .*telemetry\.sqlite\.corrupt-\d{8}T\d+Z and rebuilt it from the journal/);
  assert.deepEqual(store.warnings, warnings);
  const aside = readdirSync(dir).filter((f) => f.startsWith('telemetry.sqlite.corrupt-'));
  assert.equal(aside.length, 1);
  assert.deepEqual(readFileSync(join(dir, aside[0])), bytes, 'the corrupt file is kept as it was');
});

test('a truncated database is reported corrupt and rebuilt from the journal, with every index', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'telemetry.sqlite');
  let store = await TelemetryStore.open(db);
  await store.insertMany(Array.from({ length: 400 }, (_, i) => commandEvent(i, { stdout: 'x'.repeat(500) })));
  await store.close();
  const bytes = readFileSync(db);
  writeFileSync(db, bytes.subarray(0, Math.floor(bytes.length / 2 / 4096) * 4096)); // cut at a page boundary

  store = await TelemetryStore.open(db);
  assert.match(store.warnings.join('\n'), /database is corrupt .*rebuilt it from the journal/);
  assert.equal(store.countEvents(), 400);
  assert.deepEqual(store.queryRecent(2, { tool: 'read' }).map((r) => r.command), ['npm run task-399', 'npm run task-396']);
  await store.close();

  // the rebuilt snapshot holds the rows and, built after them, the indexes
  const SQL = await loadSqlJs();
  const saved = new SQL.Database(readFileSync(db));
  try {
    assert.equal(saved.exec('PRAGMA integrity_check')[0].values[0][0], 'ok');
    assert.equal(saved.exec('SELECT count(*) FROM telemetry')[0].values[0][0], 400);
    const indexes = saved.exec("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")[0].values.flat();
    assert.deepEqual(indexes, ['telemetry_batch_ts', 'telemetry_label_command', 'telemetry_label_ref', 'telemetry_tool_ts', 'telemetry_ts']);
  } finally {
    saved.close();
  }
});

test('a lost journal is rewritten from the database, so a later rebuild is still complete', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'telemetry.sqlite');
  let store = await TelemetryStore.open(db);
  await store.insertMany(Array.from({ length: 10 }, (_, i) => commandEvent(i)));
  await store.close();
  rmSync(`${db}.journal`);
  store = await TelemetryStore.open(db);
  assert.equal(readFileSync(`${db}.journal`, 'utf8').trim().split('\n').length, 10);
  await store.insertEvent(commandEvent(20));
  await store.close();
  writeFileSync(db, 'garbage '.repeat(1000));
  store = await TelemetryStore.open(db);
  assert.equal(store.countEvents(), 11);
  assert.match(store.warnings.join('\n'), /rebuilt with 11 events/);
  await store.close();
  // an empty database file records no journal position: everything is replayed, seq 0 entries included
  writeFileSync(db, '');
  store = closeLater(t, await TelemetryStore.open(db));
  assert.equal(store.countEvents(), 11);
});

test('a torn last journal line is skipped with a warning and later appends stay readable', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'telemetry.sqlite');
  let store = await TelemetryStore.open(db, NO_SAVE);
  await store.insertMany(Array.from({ length: 3 }, (_, i) => commandEvent(i)));
  await store.close();
  appendFileSync(`${db}.journal`, '{"seq":99,"event":{"id":"torn","ev');
  writeFileSync(db, ''); // force a full replay from the journal

  store = await TelemetryStore.open(db, NO_SAVE);
  assert.match(store.warnings.join('\n'), /telemetry\.sqlite\.journal:4: torn last journal line/);
  assert.equal(store.countEvents(), 3);
  await store.insertEvent(commandEvent(10));
  await store.close();
  writeFileSync(db, '');
  store = await TelemetryStore.open(db);
  closeLater(t, store);
  assert.equal(store.countEvents(), 4);
  assert.deepEqual(store.warnings, []);
});

test('an unreadable journal line in the middle is skipped, reported with its line, and the journal kept aside', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'telemetry.sqlite');
  let store = await TelemetryStore.open(db);
  await store.insertMany(Array.from({ length: 3 }, (_, i) => commandEvent(i)));
  await store.close();
  const lines = readFileSync(`${db}.journal`, 'utf8').split('\n');
  lines[1] = '{"seq":2,"event":{garbage';
  writeFileSync(`${db}.journal`, lines.join('\n'));
  rmSync(db);
  store = await TelemetryStore.open(db);
  assert.equal(store.countEvents(), 2);
  assert.match(store.warnings.join('\n'), /telemetry\.sqlite\.journal:2: unreadable journal entry skipped/);
  assert.match(store.warnings.join('\n'), /1 unreadable journal line removed; the journal as it was is kept as .*journal\.corrupt-/);
  await store.close();
  rmSync(db);
  store = closeLater(t, await TelemetryStore.open(db));
  assert.deepEqual(store.warnings, [], 'repaired once');
  assert.equal(store.countEvents(), 2);
  assert.equal(readdirSync(dir).filter((f) => f.includes('journal.corrupt-')).length, 1);
});

test('a complete last journal line without its newline is kept, also when a bad line is removed', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'telemetry.sqlite');
  let store = await TelemetryStore.open(db);
  await store.insertMany(Array.from({ length: 4 }, (_, i) => commandEvent(i)));
  await store.close();
  const lines = readFileSync(`${db}.journal`, 'utf8').trimEnd().split('\n');
  lines[1] = 'not json';
  writeFileSync(`${db}.journal`, lines.join('\n')); // no newline after the last entry
  rmSync(db);
  store = await TelemetryStore.open(db);
  assert.equal(store.countEvents(), 3);
  assert.match(store.warnings.join('\n'), /journal:2: unreadable journal entry skipped/);
  await store.insertEvent(commandEvent(10));
  await store.close();
  rmSync(db);
  store = closeLater(t, await TelemetryStore.open(db));
  assert.deepEqual(store.warnings, []);
  assert.deepEqual(store.queryRecent(10).map((r) => r.command), ['npm run task-10', 'npm run task-3', 'npm run task-2', 'npm run task-0']);
});

test('retention drops the oldest events but never labels nor labelled events, before and after reopen', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'telemetry.sqlite');
  const opts = { retention: { maxRows: 10, maxAgeDays: 0 } };
  let store = await TelemetryStore.open(db, opts);
  const old = await store.insertMany(Array.from({ length: 5 }, (_, i) => commandEvent(i)));
  await store.labelEvent(old[0].id, 1, { who: 'alice', why: 'keep me' });
  await store.labelEvent(old[2].id, 0, { who: 'alice', why: 'me too' });
  await store.insertMany(Array.from({ length: 30 }, (_, i) => commandEvent(100 + i)));
  const check = (s: TelemetryStore) => {
    assert.equal(s.countEvents({ eventType: 'label' }), 2);
    assert.equal(s.getEvent(old[0].id)?.effective_label, 1);
    assert.equal(s.getEvent(old[2].id)?.effective_label, 0);
    assert.equal(s.getEvent(old[1].id), undefined, 'unlabelled old events are trimmed');
    assert.equal(s.countEvents(), 12, '10 newest + 2 labelled');
  };
  check(store);
  await store.close();
  // the journal was compacted to what is kept, and a rebuild from it keeps the labels too
  const journalLines = readFileSync(`${db}.journal`, 'utf8').trim().split('\n');
  assert.equal(journalLines.length, 14);
  writeFileSync(db, 'not a database at all, just text that is long enough to be a header...'.repeat(100));
  store = await TelemetryStore.open(db, opts);
  closeLater(t, store);
  check(store);
});

test('retention by age uses the event time', async (t) => {
  const db = join(tempDir(t), 'telemetry.sqlite');
  const now = Date.UTC(2026, 5, 1);
  const store = await TelemetryStore.open(db, { retention: { maxAgeDays: 30 }, now: () => now });
  const rows = await store.insertMany([
    commandEvent(0, { ts: new Date(now - 40 * 86_400_000).toISOString() }),
    commandEvent(1, { ts: new Date(now - 35 * 86_400_000).toISOString() }),
    commandEvent(2, { ts: new Date(now - 1 * 86_400_000).toISOString() }),
  ]);
  await store.labelEvent(rows[1].id, 1, { who: 'a', why: 'b' });
  await store.save();
  assert.deepEqual(store.queryRecent(10).map((r) => r.id), [rows[2].id, rows[1].id]);
  await store.close();
});

test('one writer at a time; readers need no lock', async (t) => {
  const db = join(tempDir(t), 'telemetry.sqlite');
  const store = await TelemetryStore.open(db);
  closeLater(t, store);
  await store.insertEvent(commandEvent(1));
  await assert.rejects(TelemetryStore.open(db), /is open in this process .*open read-only/);
  await store.save();
  const reader = await TelemetryStore.open(db, { readOnly: true });
  assert.equal(reader.countEvents(), 1);
  await assert.rejects(reader.insertEvent(commandEvent(2)), /open read-only/);
  await reader.close();
});

test('concurrent inserts share journal flushes and are all acknowledged', async (t) => {
  const db = join(tempDir(t), 'telemetry.sqlite');
  const store = await TelemetryStore.open(db);
  closeLater(t, store);
  const acks: TelemetryRow[] = await Promise.all(Array.from({ length: 2_000 }, (_, i) => store.insertEvent(commandEvent(i))));
  assert.equal(new Set(acks.map((r) => r.id)).size, 2_000);
  const lines = readFileSync(`${db}.journal`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.seq), Array.from({ length: 2_000 }, (_, i) => i + 1));
});

test('a journal write that fails rejects its inserts and leaves nothing of them in the database', async (t) => {
  const db = join(tempDir(t), 'telemetry.sqlite');
  const store = closeLater(t, await TelemetryStore.open(db, NO_SAVE));
  await store.insertEvent(commandEvent(1));
  const append = Journal.prototype.append;
  let failNext = true;
  t.after(() => void (Journal.prototype.append = append));
  Journal.prototype.append = function (this: Journal, rows: TelemetryRow[]) {
    if (!failNext) return append.call(this, rows);
    failNext = false;
    // the rows are being inserted while the write is pending: they must be rolled back
    return new Promise((_, reject) => setTimeout(() => reject(new Error('disk full')), 20));
  };
  const failed = Promise.allSettled([store.insertEvent(commandEvent(2)), store.insertMany([commandEvent(3), commandEvent(4)])]);
  assert.deepEqual((await failed).map((r) => r.status === 'rejected' && /could not record 3 events: disk full/.test(String(r.reason))), [true, true]);
  assert.deepEqual(store.queryRecent(10).map((r) => r.command), ['npm run task-1']);
  await store.insertEvent(commandEvent(5));
  assert.deepEqual(store.queryRecent(10).map((r) => r.command), ['npm run task-5', 'npm run task-1']);
  await store.close();
  const again = closeLater(t, await TelemetryStore.open(db, NO_SAVE));
  assert.deepEqual(again.queryRecent(10).map((r) => r.command), ['npm run task-5', 'npm run task-1']);
});

test('the journal is written with the flush in the write itself: O_DSYNC for fdatasync, O_SYNC for fsync (Linux)', { skip: process.platform !== 'linux' }, async (t) => {
  const dir = tempDir(t);
  /** Open flags of this process's descriptors on `path` (from /proc). */
  const flagsOf = (path: string) =>
    readdirSync('/proc/self/fd')
      .filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === path;
        } catch {
          return false;
        }
      })
      .map((fd) => parseInt(/flags:\s+(\d+)/.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))![1], 8));
  for (const [sync, flag] of [['fdatasync', constants.O_DSYNC], ['fsync', constants.O_SYNC], ['none', 0]] as const) {
    const db = join(dir, `${sync}.sqlite`);
    const store = await TelemetryStore.open(db, { sync, ...NO_SAVE });
    await store.insertEvent(commandEvent(1));
    const flags = flagsOf(`${db}.journal`);
    await store.close();
    assert.equal(flags.length, 1, sync);
    assert.equal(flags[0] & (constants.O_SYNC | constants.O_DSYNC), flag, sync);
  }
});

test('a store opened through a symbolic link is the store it points to: writes go there, and the link stays a link', async (t) => {
  const dir = tempDir(t);
  const real = join(dir, 'real', 'telemetry.sqlite');
  const first = await TelemetryStore.open(real);
  const [row] = await first.insertMany([commandEvent(1)]);
  await first.close();
  const link = join(dir, 'link.sqlite');
  symlinkSync(real, link);
  const viaLink = await TelemetryStore.open(link);
  await viaLink.labelEvent(row.id, 1, { who: 't', why: 'through the link' });
  await viaLink.close();
  assert.ok(lstatSync(link).isSymbolicLink(), 'the link was replaced by a file');
  assert.equal(existsSync(`${link}.journal`), false, 'a second journal beside the link');
  const again = await TelemetryStore.open(real);
  closeLater(t, again);
  assert.equal(again.getEvent(row.id)?.effective_label, 1, 'the label reached the real store');
  symlinkSync(join(dir, 'missing.sqlite'), join(dir, 'dangling.sqlite'));
  await assert.rejects(TelemetryStore.open(join(dir, 'dangling.sqlite')), /a symbolic link to a missing file/);
});
