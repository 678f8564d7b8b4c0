import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSqlJs, openSizedDatabase, sizeMatchesHeader } from '../../src/core/telemetry/sqljs';
import { tempDir } from './helpers';

const ROWS_SQL = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO t SELECT i, printf('%.500c', 'x') FROM n";

test('a sized database grows past its room, and its export holds only the pages in use', async (t) => {
  const SQL = await loadSqlJs();
  const dir = tempDir(t);
  // room for 64 KB, then about 1 MB of rows
  const db = openSizedDatabase(SQL, undefined, 64 * 1024);
  db.run('CREATE TABLE t (i INTEGER PRIMARY KEY, s TEXT)');
  db.run(ROWS_SQL);
  const bytes = db.export();
  const pages = Number(db.exec('PRAGMA page_count')[0].values[0][0]) * Number(db.exec('PRAGMA page_size')[0].values[0][0]);
  db.close();
  assert.equal(bytes.length, pages);
  assert.ok(sizeMatchesHeader(bytes));

  // reopened from a file, with far more room than it needs
  const file = join(dir, 'sized.sqlite');
  writeFileSync(file, bytes);
  const again = openSizedDatabase(SQL, file, 50 * 1024 * 1024);
  try {
    assert.equal(again.exec('PRAGMA integrity_check')[0].values[0][0], 'ok');
    assert.equal(again.exec('SELECT count(*), sum(length(s)) FROM t')[0].values[0].join(','), '2000,1000000');
    again.run('DELETE FROM t WHERE i % 2 = 0');
    assert.equal(again.exec('SELECT count(*) FROM t')[0].values[0][0], 1000);
    assert.equal(again.export().length, bytes.length, 'freed pages stay in the file, the room does not');
    // ROLLBACK still works with the journal kept in memory
    again.run('BEGIN; DELETE FROM t; ROLLBACK;');
    assert.equal(again.exec('SELECT count(*) FROM t')[0].values[0][0], 1000);
  } finally {
    again.close();
  }
});

test('a file whose length disagrees with its header is opened as it is', async (t) => {
  const SQL = await loadSqlJs();
  const dir = tempDir(t);
  const db = new SQL.Database();
  db.run('CREATE TABLE t (i INTEGER PRIMARY KEY, s TEXT)');
  db.run(ROWS_SQL);
  const bytes = db.export();
  db.close();
  assert.equal(sizeMatchesHeader(bytes.subarray(0, bytes.length - 4096)), false);
  assert.equal(sizeMatchesHeader(new Uint8Array(50)), false);

  const file = join(dir, 'cut.sqlite');
  writeFileSync(file, bytes.subarray(0, bytes.length - 4096));
  // (zeros after it would have looked like free room; as it is, SQLite sees the missing page)
  assert.throws(() => openSizedDatabase(SQL, file, 50 * 1024 * 1024), /malformed/);
});
