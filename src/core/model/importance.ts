// Permutation importance on the test split: how much ROC AUC drops when one
// column is shuffled. Unlike impurity-based importance it cannot go negative
// for a feature the model ignores, and it is measured on unseen rows. Only
// features whose shuffle lowers ROC AUC are reported: when the classes
// separate on many features at once (sample data), none does.
import { treeVote, treeVoteWith, type FlatTree } from './forest';
import { rocAuc } from './metrics';
import { seededRandom, shuffleInPlace } from '../random';

export interface FeatureImportance {
  feature: string;
  importance: number;
}

export function permutationImportance(
  trees: readonly FlatTree[],
  X: readonly ArrayLike<number>[],
  y: readonly number[],
  names: readonly string[],
  opts: { seed: number; top: number; score: (voteShare: number) => number },
): FeatureImportance[] {
  if (!X.length || y.every((v) => v === y[0])) return [];
  const votes = trees.map((t) => X.map((row) => treeVote(t, row)));
  const sumVotes = X.map((_, i) => votes.reduce((s, v) => s + v[i], 0));
  const score = (sums: readonly number[]) => rocAuc(y, sums.map((s) => opts.score(s / trees.length)));
  const baseline = score(sumVotes);
  // Only trees that split on a column can change when it is shuffled.
  const treesUsing = new Map<number, number[]>();
  trees.forEach((t, ti) => {
    for (const f of new Set(t.feature)) if (f >= 0) treesUsing.set(f, [...(treesUsing.get(f) ?? []), ti]);
  });
  const random = seededRandom(opts.seed);
  const out: FeatureImportance[] = [];
  for (const [column, using] of treesUsing) {
    const order = shuffleInPlace(X.map((_, i) => i), random);
    const sums = [...sumVotes];
    for (const ti of using) {
      X.forEach((row, i) => {
        sums[i] += treeVoteWith(trees[ti], row, column, X[order[i]][column]) - votes[ti][i];
      });
    }
    out.push({ feature: names[column], importance: baseline - score(sums) });
  }
  return out.filter((f) => f.importance > 0).sort((a, b) => b.importance - a.importance).slice(0, opts.top);
}
