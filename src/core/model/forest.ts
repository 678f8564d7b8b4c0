// A near-balanced random forest built with ml-random-forest.
//
// About 3% of labelled commands are unsafe, so every tree is grown on a
// bootstrap with a fixed safe-to-unsafe ratio (capped), and the trees are
// gathered into one RandomForestClassifier model. Probabilities come from the
// per-tree soft votes (each leaf's unsafe share); the library's
// predictProbability is not used because it mis-counts the votes.
import { RandomForestClassifier } from 'ml-random-forest';
import { bootstrap, seededRandom } from '../random';

export interface ForestOptions {
  trees: number;
  maxDepth: number;
  /** Share of the columns each tree sees (tree-level feature bagging). */
  maxFeatures: number;
  /** Unsafe rows drawn for each tree (at most the unsafe rows there are). */
  samplesPerClass: number;
  /**
   * Safe rows drawn per unsafe row. Safe commands are far more varied, and a
   * tree that sees twice as many ranks the rare safe shapes better (held-out
   * ROC AUC and unsafe F1 on bench:model); the calibration absorbs the tilt.
   */
  safePerUnsafe: number;
  seed: number;
}

/** The library's serialised model (`RandomForestClassifier#toJSON()`). */
export type ForestJson = { name: 'RFClassifier'; baseModel: { indexes: number[][]; estimators: unknown[]; [k: string]: unknown } };

/** A tree flattened into arrays for fast traversal: leaves have feature -1 and hold their unsafe share in `threshold`. */
export interface FlatTree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
}

interface LibNode {
  left?: LibNode;
  right?: LibNode;
  splitColumn?: number;
  splitValue?: number;
  /** Class shares of the leaf's training rows (one column when they were all safe). */
  distribution?: { columns: number; get(row: number, column: number): number };
}

/** Flattens one library tree, mapping its local columns back to the full feature row. */
function flatten(root: LibNode, columns: readonly number[]): FlatTree {
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const visit = (node: LibNode): number => {
    const id = feature.length;
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    if (node.left && node.right && node.splitColumn !== undefined) {
      feature[id] = columns[node.splitColumn];
      threshold[id] = node.splitValue ?? 0;
      left[id] = visit(node.left);
      right[id] = visit(node.right);
    } else {
      // The leaf's unsafe share rather than its majority class: impure leaves
      // then rank commands between the two classes, which ROC AUC rewards.
      threshold[id] = node.distribution && node.distribution.columns > 1 ? node.distribution.get(0, 1) : 0;
    }
    return id;
  };
  visit(root);
  return { feature: Int32Array.from(feature), threshold: Float64Array.from(threshold), left: Int32Array.from(left), right: Int32Array.from(right) };
}

export function treeVote(tree: FlatTree, row: ArrayLike<number>): number {
  let n = 0;
  while (tree.feature[n] >= 0) n = row[tree.feature[n]] < tree.threshold[n] ? tree.left[n] : tree.right[n];
  return tree.threshold[n];
}

/** The vote with one column's value replaced, without copying the row. */
export function treeVoteWith(tree: FlatTree, row: ArrayLike<number>, column: number, value: number): number {
  let n = 0;
  while (tree.feature[n] >= 0) {
    const f = tree.feature[n];
    n = (f === column ? value : row[f]) < tree.threshold[n] ? tree.left[n] : tree.right[n];
  }
  return tree.threshold[n];
}

/** The trees' soft votes averaged: the mean unsafe share of the leaves the row reaches. */
export function voteShare(trees: readonly FlatTree[], row: ArrayLike<number>): number {
  let unsafe = 0;
  for (const t of trees) unsafe += treeVote(t, row);
  return unsafe / trees.length;
}

export function flattenForest(json: ForestJson): FlatTree[] {
  const forest = RandomForestClassifier.load(json as never) as unknown as { estimators: { root: LibNode }[]; indexes: number[][] };
  return forest.estimators.map((e, i) => flatten(e.root, forest.indexes[i]));
}

export interface TrainedForest {
  json: ForestJson;
  trees: FlatTree[];
  /** Out-of-bag vote share per training row (NaN where a row was in every bag). */
  oobScores: number[];
}

export function trainForest(X: readonly ArrayLike<number>[], y: number[], opts: ForestOptions, onTree?: (done: number) => void): TrainedForest {
  const random = seededRandom(opts.seed);
  const byClass = [0, 1].map((cls) => y.flatMap((v, i) => (v === cls ? [i] : [])));
  // Bags far closer to balance than the 97/3 data, so no tree learns to call everything safe.
  const unsafePerTree = Math.min(opts.samplesPerClass, byClass[1].length);
  const safePerTree = Math.min(Math.round(unsafePerTree * opts.safePerUnsafe), byClass[0].length);
  const oobVotes = new Float64Array(X.length);
  const oobCounts = new Uint16Array(X.length);
  const estimators: unknown[] = [];
  const indexes: number[][] = [];
  const trees: FlatTree[] = [];
  let base: Record<string, unknown> = {};
  for (let t = 0; t < opts.trees; t++) {
    // Safe rows first, then unsafe: ml-cart proposes a split at every label
    // change between neighbours once sorted by value, and its stable sort keeps
    // this order inside runs of equal values, so the candidates stay few.
    const bag = [...bootstrap(byClass[0], safePerTree, random), ...bootstrap(byClass[1], unsafePerTree, random)];
    const forest = new RandomForestClassifier({
      nEstimators: 1,
      maxFeatures: opts.maxFeatures,
      replacement: false,
      useSampleBagging: false,
      noOOB: true,
      seed: Math.floor(random() * 2 ** 31),
      treeOptions: { maxDepth: opts.maxDepth, gainThreshold: 0, minNumSamples: 2 },
    });
    // ml-matrix copies the rows into its own arrays; typed rows are fine despite the declared type.
    forest.train(bag.map((i) => X[i]) as number[][], bag.map((i) => y[i]));
    const model = forest.toJSON() as unknown as ForestJson;
    base = model.baseModel;
    estimators.push(model.baseModel.estimators[0]);
    indexes.push(model.baseModel.indexes[0]);
    const lib = forest as unknown as { estimators: { root: LibNode }[]; indexes: number[][] };
    const tree = flatten(lib.estimators[0].root, lib.indexes[0]);
    trees.push(tree);
    const inBag = new Set(bag);
    for (let i = 0; i < X.length; i++) {
      if (inBag.has(i)) continue;
      oobVotes[i] += treeVote(tree, X[i]);
      oobCounts[i]++;
    }
    onTree?.(t + 1);
  }
  const json: ForestJson = {
    name: 'RFClassifier',
    baseModel: { ...base, nEstimators: opts.trees, seed: opts.seed, indexes, estimators },
  };
  // Round-trip through JSON so the stored trees are plain data.
  return {
    json: JSON.parse(JSON.stringify(json)) as ForestJson,
    trees,
    oobScores: Array.from(oobVotes, (v, i) => (oobCounts[i] ? v / oobCounts[i] : Number.NaN)),
  };
}
