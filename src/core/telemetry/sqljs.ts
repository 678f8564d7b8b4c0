// Loads sql.js once per process with its wasm read from disk, so nothing is
// fetched: next to the bundle (dist/sql-wasm.wasm, copied by the build) or from
// node_modules when running from source under tsx. Opens databases sized for
// the data they are about to receive (see openSizedDatabase).
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import type { Database, SqlJsStatic } from 'sql.js';
import { TelemetryError } from './types';

let loading: Promise<SqlJsStatic> | undefined;

function wasmPath(): string {
  const candidates = [join(__dirname, 'sql-wasm.wasm')];
  try {
    candidates.push(require.resolve('sql.js/dist/sql-wasm.wasm'));
  } catch {
    // not resolvable from a bundle shipped without node_modules
  }
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new TelemetryError(`sql.js wasm not found (looked in ${candidates.join(', ')}); run the build`);
  return found;
}

export function loadSqlJs(): Promise<SqlJsStatic> {
  loading ??= (async () => {
    const bytes = readFileSync(wasmPath());
    return initSqlJs({ wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
  })();
  return loading;
}

/**
 * True when the bytes are exactly as long as the SQLite header says
 * (https://www.sqlite.org/fileformat.html#the_database_header: page size at
 * offset 16, page count at 28, valid when the change counter at 24 equals the
 * version-valid-for number at 92).
 */
export function sizeMatchesHeader(bytes: Uint8Array): boolean {
  if (bytes.length < 100) return false;
  const header = new DataView(bytes.buffer, bytes.byteOffset, 100);
  const pageSize = header.getUint16(16) === 1 ? 65_536 : header.getUint16(16);
  const pages = header.getUint32(28);
  return pages > 0 && header.getUint32(24) === header.getUint32(92) && pages * pageSize === bytes.length;
}

let emptyImage: Uint8Array | undefined;

/** The bytes of a database with nothing in it (a valid header to size a new file from). */
function emptyDatabaseImage(SQL: SqlJsStatic): Uint8Array {
  if (!emptyImage) {
    const db = new SQL.Database();
    db.run('CREATE TABLE empty (x); DROP TABLE empty;');
    emptyImage = db.export().slice();
    db.close();
  }
  return emptyImage;
}

/**
 * Bytes sql.js takes as its database file without copying them. sql.js puts
 * the bytes it opens in Emscripten's in-memory file system, which copies
 * them with `slice()` on the file's first write; this array hands over
 * itself instead (any other slice is a real copy; a sql.js that copied some
 * other way would still work, only slower). A fresh zeroed buffer
 * costs a page fault per 4 KB on first touch, read or write, and page faults
 * are slow on a VM: copying a sized buffer touched all of it twice.
 */
class HandedOverBytes extends Uint8Array {
  override slice(start?: number, end?: number): Uint8Array<ArrayBuffer> {
    return start === 0 && end === this.length ? (this as Uint8Array<ArrayBuffer>) : super.slice(start, end);
  }
}

/**
 * The file's bytes in a buffer of at least `minBytes` (zeros after the file),
 * or exactly the file when its length disagrees with its header.
 */
function readDatabaseFile(path: string, minBytes: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const bytes = new HandedOverBytes(Math.max(size, minBytes));
    let read = 0;
    for (let n = 1; n && read < size; read += n) n = readSync(fd, bytes, read, size - read, read);
    const image = bytes.subarray(0, read);
    return sizeMatchesHeader(image) ? bytes : image;
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens the database file at `path` (none: a new database) as an in-memory
 * sql.js database whose file already has room for `expectedBytes`.
 *
 * Why: that in-memory file system grows a file by 12.5% at a time, copying
 * all of it into a freshly zeroed buffer each time. Filling 65 MB (100k
 * events) that way allocates about nine times that, and first touches of
 * fresh memory cost more than SQLite's own work. SQLite takes the database
 * size from the header, not the file length, so zero bytes after the last
 * page are unused space it writes new pages into (untouched, they cost
 * nothing); `export()` copies only the pages in use. A file whose length
 * disagrees with its header is opened as it is, so a truncated file is still
 * reported as corrupt.
 *
 * The rollback journal is kept in memory rather than in that file system
 * (ROLLBACK still works; a crash loses the in-memory database either way, and
 * durability comes from the store's own journal), as are temporary tables and
 * sort files; there is nothing to sync. Exclusive locking keeps SQLite from
 * probing the file system for a hot journal before every statement (sql.js
 * raised and caught an error object each time: a third of the ingest time);
 * nothing else opens this private file.
 */
export function openSizedDatabase(SQL: SqlJsStatic, path: string | undefined, expectedBytes: number): Database {
  let bytes: Uint8Array;
  if (path === undefined) {
    const empty = emptyDatabaseImage(SQL);
    bytes = new HandedOverBytes(Math.max(expectedBytes, empty.length));
    bytes.set(empty);
  } else {
    bytes = readDatabaseFile(path, expectedBytes);
  }
  const db = new SQL.Database(bytes);
  try {
    db.run('PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = MEMORY; PRAGMA temp_store = MEMORY; PRAGMA synchronous = OFF;');
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
