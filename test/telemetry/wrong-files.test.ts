import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { TelemetryError, TelemetryStore } from '../../src/core/telemetry/index';
import { closeLater, commandEvent, tempDir, writeSqliteFile } from './helpers';

const PLACES_SQL = "CREATE TABLE moz_places (id INTEGER, url TEXT); INSERT INTO moz_places VALUES (1, 'http://x.example/');";

/** Opens the store as a writer and as a reader, expecting both to be refused with `pattern`. */
async function bothRefuse(db: string, pattern: RegExp): Promise<void> {
  for (const readOnly of [false, true]) {
    await assert.rejects(TelemetryStore.open(db, { readOnly }), (err: Error) => err instanceof TelemetryError && pattern.test(err.message), `readOnly: ${readOnly}`);
  }
}

test('a directory given as the database (or the journal) is refused and left as it was, never moved aside', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'projects');
  mkdirSync(db);
  writeFileSync(join(db, 'notes.txt'), 'keep');
  await bothRefuse(db, /projects: is a directory, not a telemetry database$/);
  assert.deepEqual(readdirSync(dir), ['projects']);
  assert.deepEqual(readdirSync(db), ['notes.txt']);

  const other = join(dir, 'telemetry.sqlite');
  mkdirSync(`${other}.journal`);
  await bothRefuse(other, /telemetry\.sqlite\.journal: is a directory, not a telemetry journal$/);
  assert.deepEqual(readdirSync(dir).sort(), ['projects', 'telemetry.sqlite.journal']);
});

test('a store under a regular file is refused with the file named', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'plain'), 'x');
  for (const db of [join(dir, 'plain', 'telemetry.sqlite'), join(dir, 'plain', 'a', 'b', 'telemetry.sqlite')]) {
    await assert.rejects(
      TelemetryStore.open(db),
      (err: Error) => err instanceof TelemetryError && err.message === `${db}: cannot create the store directory: ${join(dir, 'plain')} is not a directory`,
    );
  }
  assert.equal(readFileSync(join(dir, 'plain'), 'utf8'), 'x');
});

test("another application's SQLite database is refused by readers and writers, and left untouched", async (t) => {
  const dir = tempDir(t);
  const places = join(dir, 'places.sqlite');
  await writeSqliteFile(places, PLACES_SQL);
  chmodSync(places, 0o644);
  const bytes = readFileSync(places);
  await bothRefuse(places, /places\.sqlite: not a telemetry database \(tables: moz_places\)$/);
  assert.deepEqual(readFileSync(places), bytes);
  assert.equal(statSync(places).mode & 0o777, 0o644);
  assert.deepEqual(readdirSync(dir), ['places.sqlite'], 'no journal, lock or corrupt-* file');

  // a `telemetry` table of its own does not make it ours
  const other = join(dir, 'other.sqlite');
  await writeSqliteFile(other, `${PLACES_SQL} CREATE TABLE telemetry (ts TEXT, name TEXT);`);
  await bothRefuse(other, /other\.sqlite: not a telemetry database \(tables: moz_places, telemetry\)$/);

  // nor does a `telemetry` table alone, without our meta table or a journal
  const metrics = join(dir, 'app.sqlite');
  await writeSqliteFile(metrics, "CREATE TABLE telemetry (id INTEGER PRIMARY KEY, metric TEXT); INSERT INTO telemetry VALUES (1, 'cpu');");
  const before = readFileSync(metrics);
  await bothRefuse(metrics, /app\.sqlite: not a telemetry database \(its telemetry table has the columns id, metric\)$/);
  assert.deepEqual(readFileSync(metrics), before);
  assert.deepEqual(readdirSync(dir).sort(), ['app.sqlite', 'other.sqlite', 'places.sqlite']);
});

test('a telemetry table with other columns beside our meta table or journal is a damaged store: moved aside and rebuilt', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'telemetry.sqlite');
  await writeSqliteFile(db, 'CREATE TABLE telemetry (id TEXT, ts TEXT); CREATE TABLE telemetry_meta (key TEXT, value TEXT);');
  const store = closeLater(t, await TelemetryStore.open(db));
  assert.match(store.warnings.join('\n'), /database is corrupt \(unexpected telemetry columns: id, ts\); moved it to .*\.corrupt-/);
  await store.insertEvent(commandEvent(1));
  assert.equal(store.countEvents(), 1);

  // No meta table, but the journal beside it: ours, damaged, and rebuilt from that journal.
  const journalled = join(dir, 'journalled.sqlite');
  const first = await TelemetryStore.open(journalled);
  await first.insertEvent(commandEvent(1));
  await first.close();
  await writeSqliteFile(journalled, 'CREATE TABLE telemetry (id TEXT, ts TEXT);');
  const reopened = closeLater(t, await TelemetryStore.open(journalled));
  assert.match(reopened.warnings.join('\n'), /journalled\.sqlite: database is corrupt \(unexpected telemetry columns: id, ts\); moved it to/);
  assert.equal(reopened.countEvents(), 1);
});

test('an empty file becomes a new store', async (t) => {
  const db = join(tempDir(t), 'telemetry.sqlite');
  writeFileSync(db, '');
  let store = await TelemetryStore.open(db);
  await store.insertEvent(commandEvent(1));
  await store.close();
  store = closeLater(t, await TelemetryStore.open(db, { readOnly: true }));
  assert.equal(store.countEvents(), 1);
  assert.deepEqual(store.warnings, []);
});

test("exporting over the store's own database or journal is refused, also through a link", async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'telemetry.sqlite');
  const store = closeLater(t, await TelemetryStore.open(db));
  await store.insertEvent(commandEvent(1));
  await store.save();
  const before = [readFileSync(db), readFileSync(`${db}.journal`)];
  symlinkSync(db, join(dir, 'link.csv'));
  for (const [out, what] of [[db, 'database'], [`${db}.journal`, 'journal'], [join(dir, 'link.csv'), 'database'], [relative(process.cwd(), db), 'database']]) {
    await assert.rejects(store.exportCsv(out), new RegExp(`: is the telemetry store's ${what}; export to another file$`), out);
  }
  assert.deepEqual([readFileSync(db), readFileSync(`${db}.journal`)], before);
  assert.equal(await store.exportCsv(join(dir, 'out.csv')), 1);
});

test('a file that is neither SQLite nor next to a journal (a policy, a CSV) is refused by readers and writers, byte for byte untouched', async (t) => {
  const dir = tempDir(t);
  const files: Record<string, string> = { 'rampart.yaml': 'policies:\n  - name: x\n', 'tel.csv': 'id,ts\r\n1,2\r\n', 'short.db': 'SQLite' };
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    writeFileSync(path, text);
    await bothRefuse(path, new RegExp(`${name}: not a telemetry store \\(not a SQLite file, and no ${name}\\.journal next to it\\)$`));
    assert.equal(readFileSync(path, 'utf8'), text);
  }
  assert.deepEqual(readdirSync(dir).sort(), Object.keys(files).sort(), 'no journal, lock or corrupt-* file');
});

test('a damaged store is still recognised by its SQLite header without a journal, and moved aside and rebuilt', async (t) => {
  // (a clobbered header with the journal next to it: see store.test.ts)
  const dir = tempDir(t);
  const db = join(dir, 'telemetry.sqlite');
  const bytes = Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4080, 0x5a)]);
  writeFileSync(db, bytes);
  const store = closeLater(t, await TelemetryStore.open(db));
  assert.match(store.warnings.join('\n'), /telemetry\.sqlite: database is corrupt \(.*\); moved it to .*telemetry\.sqlite\.corrupt-\d{8}T\d+Z and rebuilt it from the journal/);
  const aside = readdirSync(dir).filter((f) => f.startsWith('telemetry.sqlite.corrupt-'));
  assert.deepEqual(readFileSync(join(dir, aside[0])), bytes);
  await store.insertEvent(commandEvent(1));
  assert.equal(store.countEvents(), 1);
});

test('an export that cannot be written names only its target and leaves no temp file behind', async (t) => {
  const dir = tempDir(t);
  const store = closeLater(t, await TelemetryStore.open(join(dir, 'telemetry.sqlite')));
  await store.insertEvent(commandEvent(1));
  mkdirSync(join(dir, 'out'));
  await assert.rejects(store.exportCsv(join(dir, 'out')), { name: 'TelemetryError', message: `${join(dir, 'out')}: is a directory` });
  const missing = join(dir, 'missing', 'x.csv');
  await assert.rejects(store.exportCsv(missing), { name: 'TelemetryError', message: `${missing}: no such file or directory` });
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp-')), []);
  assert.deepEqual(readdirSync(join(dir, 'out')), []);
});
