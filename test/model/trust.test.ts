// The model assists reviewers; it never decides. A model trained to call every
// destructive command safe is run next to the gate, exactly as the extension
// wires it (the telemetry event blends its probability into the safety score),
// and the policy's deny must come through untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGate } from '../../src/core/gate/index';
import { createPredictor } from '../../src/core/model/predictor';
import { trainModel } from '../../src/core/model/trainer';
import { shippedPolicyPath } from '../../src/core/policy/index';
import { TelemetryStore, telemetryEventFromAudit } from '../../src/core/telemetry/index';
import type { AuditEvent } from '../../src/core/types';
import { separableRows } from './fixtures';

const DENIED = 'rm -rf /';

test('a deny stays a deny whatever the model says', async () => {
  // Flip every label, and teach it that the denied command is safe.
  const rows = separableRows().map((r) => ({ command: r.command, label: 1 - r.label }));
  for (let i = 0; i < 20; i++) rows.push({ command: `${DENIED}${' '.repeat(i % 3)}`, label: 0 }, { command: `ls -la dir${i}`, label: 1 });
  const predictor = createPredictor(trainModel(rows, { trees: 15, samplesPerClass: 60 }));
  const opinion = predictor.predict(DENIED);
  assert.equal(opinion.prediction, 'safe', 'the adversarial model must really disagree with the policy');

  const dir = mkdtempSync(join(tmpdir(), 'rl-trust-'));
  const gate = await startGate({ policy: shippedPolicyPath('standard'), mode: 'enforce', auditDir: join(dir, 'audit'), watchPolicy: false });
  const store = await TelemetryStore.open(join(dir, 'telemetry.sqlite'));
  try {
    const events: AuditEvent[] = [];
    gate.onEvent((e) => events.push(e));
    const verdict = await gate.decide({ tool: 'exec', params: { command: DENIED } });
    assert.equal(verdict.event.decision.action, 'deny');
    assert.equal(verdict.run, false);
    assert.equal(events.length, 1);
    const row = await store.insertEvent(telemetryEventFromAudit(events[0], { modelProbability: opinion.p_unsafe }));
    const stored = JSON.parse(row.metadata!);
    assert.equal(stored.decision.action, 'deny');
    assert.equal(row.safety_score, 100, 'the model may not lower a deny\'s score');
    assert.equal(stored.model_p_unsafe, opinion.p_unsafe);
    // And the policy answers the same on a second call, after the model has spoken.
    assert.equal((await gate.decide({ tool: 'exec', params: { command: DENIED } })).run, false);
  } finally {
    await store.close();
    await gate.close();
  }
});
