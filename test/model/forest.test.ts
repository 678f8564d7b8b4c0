import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flattenForest, trainForest, voteShare } from '../../src/core/model/forest';

// One column that cannot separate the classes: with depth 1 the leaves stay
// mixed, and a row's score is the unsafe share of its leaves, not a 0/1 vote.
const X = [[0], [0], [0], [0], [1], [1], [1], [1]];
const y = [0, 0, 0, 1, 0, 1, 1, 1];

test('trees vote with their leaf shares, and the stored forest scores the same', () => {
  const forest = trainForest(X, y, { trees: 7, maxDepth: 1, maxFeatures: 1, samplesPerClass: 4, seed: 3 });
  const leaves = forest.trees.flatMap((t) => Array.from(t.threshold).filter((_, i) => t.feature[i] < 0));
  assert.ok(leaves.some((v) => v > 0 && v < 1), `leaf values ${leaves.join(', ')}`);
  const low = voteShare(forest.trees, [0]);
  const high = voteShare(forest.trees, [1]);
  assert.ok(low < high, `${low} < ${high}`);
  assert.ok(Math.round(low * 7) !== low * 7 || Math.round(high * 7) !== high * 7, 'scores are not whole votes');
  const reloaded = flattenForest(forest.json);
  assert.equal(voteShare(reloaded, [0]), low);
  assert.equal(voteShare(reloaded, [1]), high);
});
