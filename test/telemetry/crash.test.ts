import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { TelemetryStore } from '../../src/core/telemetry/index';
import { closeLater, tempDir } from './helpers';

test('kill -9 during a 50k-event ingest: every acknowledged event is present after reopen', async (t) => {
  const db = join(tempDir(t), 'telemetry.sqlite');
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures/ingest-child.ts'), db, '50000'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const acked: string[] = [];
  let partial = '';
  let killedAt = -1;
  const exit = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop()!; // a line cut mid-way was not fully reported
    acked.push(...lines.filter((l) => l && l !== 'done'));
    if (killedAt < 0 && acked.length >= 8_000) {
      killedAt = acked.length;
      child.kill('SIGKILL');
    }
  });
  const signal = await exit;
  assert.equal(signal, 'SIGKILL', `the child finished before it was killed: ${stderr}`);
  assert.ok(acked.length < 50_000, 'killed part-way through');

  const store = closeLater(t, await TelemetryStore.open(db));
  const missing = acked.filter((id) => !store.getEvent(id));
  assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged events lost`);
  assert.ok(store.countEvents() >= acked.length);
  // the store is usable after the crash
  await store.insertEvent({ event_type: 'command', command: 'after the crash' });
  assert.equal(store.queryRecent(1)[0].command, 'after the crash');
});
