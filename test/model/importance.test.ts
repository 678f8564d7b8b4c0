import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlatTree } from '../../src/core/model/forest';
import { permutationImportance } from '../../src/core/model/importance';

/** A stump voting 0 below 0.5 on `column` and 1 above. */
function stump(column: number): FlatTree {
  return { feature: Int32Array.from([column, -1, -1]), threshold: Float64Array.from([0.5, 0, 1]), left: Int32Array.from([1, 0, 0]), right: Int32Array.from([2, 0, 0]) };
}

const y = Array.from({ length: 40 }, (_, i) => i % 2);
const X = y.map((v) => [v, v]);
const opts = { seed: 1, top: 15, score: (share: number) => share };

test('only features whose shuffle lowers ROC AUC are reported', () => {
  // Two stumps on column 1 outvote one on column 0: shuffling column 0 changes no ranking.
  const features = permutationImportance([stump(0), stump(1), stump(1)], X, y, ['tok:a', 'tok:b'], opts);
  assert.deepEqual(features.map((f) => f.feature), ['tok:b']);
  assert.ok(features[0].importance > 0);
});

test('when no single feature matters, none is listed', () => {
  // Three redundant columns, one stump each: any two still rank every row right.
  const X3 = y.map((v) => [v, v, v]);
  assert.deepEqual(permutationImportance([stump(0), stump(1), stump(2)], X3, y, ['tok:a', 'tok:b', 'tok:c'], opts), []);
});
