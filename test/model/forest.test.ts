import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { flattenForest, trainForest, voteShare } from '../../src/core/model/forest';

// One column that cannot separate the classes: with depth 1 the leaves stay
// mixed, and a row's score is the unsafe share of its leaves, not a 0/1 vote.
const X = [[0], [0], [0], [0], [1], [1], [1], [1]];
const y = [0, 0, 0, 1, 0, 1, 1, 1];

test('trees vote with their leaf shares, and the stored forest scores the same', () => {
  const forest = trainForest(X, y, { trees: 7, maxDepth: 1, maxFeatures: 1, samplesPerClass: 4, safePerUnsafe: 1, seed: 3 });
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

test('each tree draws safePerUnsafe safe rows per unsafe row', () => {
  // 10 unsafe and 200 safe rows; one tree, bags drawn with replacement: only
  // rows left out of the bag get an out-of-bag score.
  const rows = Array.from({ length: 210 }, (_, i) => [i]);
  const labels = rows.map((_, i) => (i < 10 ? 1 : 0));
  const inBagSafe = (safePerUnsafe: number) => {
    const f = trainForest(rows, labels, { trees: 1, maxDepth: 2, maxFeatures: 1, samplesPerClass: 10, safePerUnsafe, seed: 5 });
    return f.oobScores.slice(10).filter((s) => Number.isNaN(s)).length;
  };
  const one = inBagSafe(1);
  const four = inBagSafe(4);
  assert.ok(one <= 10, `ratio 1 drew ${one} distinct safe rows`);
  assert.ok(four > 20 && four <= 40, `ratio 4 drew ${four} distinct safe rows`);
});

test('npm install applied the ml-cart patch (linear class count), in both of its builds', () => {
  // Without it training still works, only several times slower: nothing else would notice.
  const root = dirname(require.resolve('ml-cart/package.json'));
  for (const file of ['cart.js', 'src/utils.js']) {
    assert.match(readFileSync(join(root, file), 'utf8'), /Patched by rampart-learn/, `${file} is not patched: run npm install`);
  }
});
