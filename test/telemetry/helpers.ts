import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TelemetryEventInput } from '../../src/core/telemetry/index';
import { loadSqlJs } from '../../src/core/telemetry/sqljs';

type TestContext = { after: (fn: () => Promise<void> | void) => void };
const closers = new WeakMap<TestContext, (() => Promise<void>)[]>();

/** A fresh directory, removed after the test (after the stores `closeLater` was given). */
export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'rl-telemetry-'));
  const list: (() => Promise<void>)[] = [];
  closers.set(t, list);
  t.after(async () => {
    for (const close of list) await close();
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Closes a store when the test ends (before its directory goes). */
export function closeLater<T extends { close(): Promise<void> }>(t: TestContext, store: T): T {
  closers.get(t)!.push(() => store.close());
  return store;
}

/** A time `i` seconds into the last day, inside the default retention. */
export function recentTs(i: number): string {
  return new Date(Date.now() - 86_400_000 + i * 1000).toISOString();
}

export function commandEvent(i: number, extra: Partial<TelemetryEventInput> = {}): TelemetryEventInput {
  return {
    event_type: 'command',
    ts: recentTs(i),
    tool: i % 3 === 0 ? 'read' : 'exec',
    command: `npm run task-${i}`,
    batch_id: `session-${i % 4}`,
    safety_score: 0,
    metadata: { agent: 'claude-code', session: `session-${i % 4}`, decision: { action: i % 5 === 0 ? 'deny' : 'allow' } },
    ...extra,
  };
}

/** Writes a valid SQLite file made by `sql` (another application's database, say). */
export async function writeSqliteFile(path: string, sql: string): Promise<void> {
  const db = new (await loadSqlJs()).Database();
  try {
    db.run(sql);
    writeFileSync(path, db.export());
  } finally {
    db.close();
  }
}

export { SHARED_DATA } from '../shared-data';
