import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditWriter } from '../../src/core/audit';
import { emptyImportStats, importCalls } from '../../src/core/learn/importers';

test('our own audit directory imports in chain order across rotated files; completion records add no calls', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-audit-'));
  const writer = AuditWriter.open(dir, { maxFileBytes: 1500 });
  const commands = Array.from({ length: 12 }, (_, i) => `echo step-${i}`);
  for (const command of commands) {
    const ev = writer.append({
      agent: 'claude', session: 's1', tool: 'exec', cwd: '/w', request: { command },
      decision: { action: 'allow', policy: null, rule: null, message: '', eval_us: 3, enforced: false, mode: 'monitor' },
    });
    writer.complete(ev.id, 's1', { exit_code: 0, duration_ms: 5 });
  }
  writer.close();
  assert.ok(readdirSync(dir).length > 1, 'the log rotated');

  const stats = emptyImportStats();
  const seen: string[] = [];
  for await (const call of importCalls([dir], {}, stats)) {
    assert.equal(call.recordedAction, 'allow');
    assert.equal(call.agent, 'claude');
    seen.push(String(call.params.command));
  }
  assert.deepEqual(seen, commands);
  assert.equal(stats.badLines.count, 0, stats.badLines.samples.join('\n'));
  assert.deepEqual(stats.byFormat, { 'rampart-learn-audit': 12 });
});
