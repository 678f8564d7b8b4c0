import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoized, modelSummary, ModelService, noModelNote, trainingRows, trainingShortfall } from '../../src/extension/modelService';
import { TelemetryStore } from '../../src/core/telemetry/index';
import { commandEvent } from '../telemetry/helpers';
import type { ModelFile } from '../../src/core/model/model-file';
import type { Predictor } from '../../src/core/model/predictor';

/** A predictor that counts its calls; its score is the command's length, so answers are checkable. */
function counting(): { predictor: Predictor; calls: string[] } {
  const calls: string[] = [];
  const predictor: Predictor = {
    model: { threshold: 0.5 } as ModelFile,
    predict(command) {
      calls.push(command);
      const p = command.length / 100;
      return { prediction: p >= 0.5 ? 'unsafe' : 'safe', confidence: p >= 0.5 ? p : 1 - p, p_unsafe: p };
    },
  };
  return { predictor, calls };
}

test('a memoized predictor asks the model once per distinct command and answers the same', () => {
  const { predictor, calls } = counting();
  const m = memoized(predictor);
  assert.equal(m.model, predictor.model);
  const first = m.predict('git status');
  assert.deepEqual(m.predict('git status'), first);
  assert.deepEqual(first, predictor.predict('git status'));
  m.predict('x'.repeat(80));
  assert.deepEqual(calls, ['git status', 'git status', 'x'.repeat(80)]);
});

test('when full, the oldest answer is dropped and asked again', () => {
  const { predictor, calls } = counting();
  const m = memoized(predictor, 2);
  m.predict('a');
  m.predict('b');
  m.predict('c'); // drops a
  m.predict('b');
  m.predict('a');
  assert.deepEqual(calls, ['a', 'b', 'c', 'a']);
});

test('a model file that cannot be loaded is read once per version of the file, not on every call', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-model-service-'));
  const file = join(dir, 'policy_model.json');
  writeFileSync(file, JSON.stringify({ format: 'rampart-learn.model', format_version: 1 }));
  const service = new ModelService(file);
  const first = await service.current().then(() => undefined, (err: Error) => err);
  assert.match(String(first?.message), /format version 1 is not supported .*retrain it/);
  const again = await service.current().then(() => undefined, (err: Error) => err);
  assert.equal(again, first, 'the same failure, without reading the file again');
  writeFileSync(file, '{ not json');
  utimesSync(file, new Date(), new Date(Date.now() + 5000));
  const changed = await service.current().then(() => undefined, (err: Error) => err);
  assert.ok(changed && changed !== first, 'a new version of the file is read again');
});

test('training needs the configured number of labels, with both classes; the empty model panel says so', () => {
  assert.equal(trainingShortfall({ safe: 0, unsafe: 1 }, 20), 'training needs at least 20 labelled commands, both safe and unsafe ones (now 0 safe, 1 unsafe; a command labelled again counts once)');
  assert.match(trainingShortfall({ safe: 30, unsafe: 0 }, 20) ?? '', /both safe and unsafe/);
  assert.equal(trainingShortfall({ safe: 15, unsafe: 5 }, 20), undefined);
  assert.equal(noModelNote({ safe: 0, unsafe: 1 }, 20), 'No model yet: training needs at least 20 labelled commands, both safe and unsafe ones (now 0 safe, 1 unsafe; a command labelled again counts once). Label calls with S (safe) and U (unsafe), then press Run Trainer.');
  assert.match(noModelNote({ safe: 9, unsafe: 3 }, 10), /enough: press Run Trainer/);
});

test('the model summary leaves out features without effect, and warns when the test set is too small to judge', () => {
  const scores = (support: number) => ({ precision: 1, recall: 0, f1: 0, support });
  const model = (safe: number, unsafe: number) => ({
    created_at: '2026-01-01T00:00:00Z',
    threshold: 0.5,
    metrics: {
      trainRows: 20, testRows: safe + unsafe, accuracy: 0.6, rocAuc: 1, safe: scores(safe), unsafe: scores(unsafe),
      confusion: [[safe, 0], [unsafe, 0]], labelCounts: { safe: 20, unsafe: 5 },
      topFeatures: [{ feature: 'tok:rm', importance: 0.2 }, { feature: 'tok:ls', importance: 0 }],
    },
  }) as unknown as ModelFile;
  const small = modelSummary(model(4, 1));
  assert.deepEqual(small.topFeatures, [{ feature: 'tok:rm', importance: 0.2 }]);
  assert.match(small.caveat ?? '', /^Too few labels to judge: the test set held only 4 safe and 1 unsafe rows/);
  assert.equal(modelSummary(model(40, 10)).caveat, undefined);
});

test('readiness counts distinct labelled commands, as the trainer does: a command labelled on many events is one', async () => {
  const store = await TelemetryStore.open(join(mkdtempSync(join(tmpdir(), 'rl-ready-')), 'telemetry.sqlite'));
  try {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await store.insertEvent(commandEvent(i, { tool: 'exec', command: i < 4 ? 'git status' : `rm -rf /tmp/x${i}` }))).id);
    // A labelled read (its path in the command column) is not training data, as for `train --db`.
    ids.push((await store.insertEvent(commandEvent(9, { event_type: 'tool', tool: 'read', command: '/etc/shadow' }))).id);
    for (const [i, id] of ids.entries()) await store.labelEvent(id, i < 4 ? 0 : 1, { who: 'test', why: 'test' });
    const { rows, distinct } = trainingRows(store);
    assert.equal(rows.length, 6);
    assert.deepEqual(distinct, { safe: 1, unsafe: 2 });
    assert.match(trainingShortfall(distinct, 4) ?? '', /now 1 safe, 2 unsafe/);
  } finally {
    await store.close();
  }
});
