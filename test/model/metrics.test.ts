import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestF1Threshold, evaluate, rocAuc } from '../../src/core/model/metrics';
import { applyPlatt, fitPlatt } from '../../src/core/model/calibration';
import { stratifiedSplit } from '../../src/core/model/split';

test('ROC AUC is 1 for a perfect ranking, 0.5 for ties, 0 for an inverted one', () => {
  assert.equal(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]), 1);
  assert.equal(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]), 0.5);
  assert.equal(rocAuc([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9]), 0);
  // One positive ranked below one negative of two: 3 of 4 pairs ordered.
  assert.equal(rocAuc([0, 1, 0, 1], [0.1, 0.3, 0.5, 0.9]), 0.75);
});

test('evaluate counts the confusion matrix and per-class metrics at the threshold', () => {
  const r = evaluate([0, 0, 0, 1, 1], [0.1, 0.6, 0.2, 0.7, 0.4], 0.5);
  assert.deepEqual(r.confusion, [[2, 1], [1, 1]]);
  assert.equal(r.unsafe.precision, 0.5);
  assert.equal(r.unsafe.recall, 0.5);
  assert.equal(r.safe.support, 3);
  assert.equal(r.accuracy, 3 / 5);
});

test('the best-F1 threshold separates perfectly separable scores', () => {
  const labels = [0, 0, 0, 1, 1];
  const scores = [0.1, 0.2, 0.3, 0.35, 0.9];
  const t = bestF1Threshold(labels, scores);
  assert.ok(t > 0.3 && t <= 0.35, `threshold ${t}`);
  assert.equal(evaluate(labels, scores, t).unsafe.f1, 1);
});

test('Platt scaling is monotonic and pulls balanced-bag scores towards the real base rate', () => {
  // Scores from a model trained on balanced bags: negatives around 0.3, positives around 0.8, 1 positive in 10.
  const scores: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < 900; i++) (scores.push(0.1 + (i % 50) / 100), labels.push(0));
  for (let i = 0; i < 100; i++) (scores.push(0.55 + (i % 45) / 100), labels.push(1));
  const platt = fitPlatt(scores, labels);
  assert.ok(applyPlatt(platt, 0.2) < applyPlatt(platt, 0.6));
  assert.ok(applyPlatt(platt, 0.2) < 0.05);
  assert.ok(applyPlatt(platt, 0.95) > 0.8);
});

test('a stratified split keeps each class on both sides and groups whole', () => {
  const labels = [...Array(90).fill(0), ...Array(10).fill(1)];
  const { train, test: held } = stratifiedSplit(labels, 0.2, 1);
  assert.equal(train.length + held.length, 100);
  assert.equal(held.filter((i) => labels[i] === 1).length, 2);
  const groups = labels.map((_, i) => `g${i % 7}`);
  const g = stratifiedSplit(labels, 0.3, 1, groups);
  const trainGroups = new Set(g.train.map((i) => groups[i]));
  assert.ok(g.test.every((i) => !trainGroups.has(groups[i])));
});
