// Loads sql.js once per process with its wasm read from disk, so nothing is
// fetched: next to the bundle (dist/sql-wasm.wasm, copied by the build) or from
// node_modules when running from source under tsx.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import type { SqlJsStatic } from 'sql.js';
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
