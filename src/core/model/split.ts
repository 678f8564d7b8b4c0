import { seededRandom, shuffleInPlace } from '../random';

export interface Split {
  train: number[];
  test: number[];
}

/**
 * Stratified split of row indexes: each class keeps its share in both parts.
 * With `groups`, whole groups move together (so the same binary or session is
 * never on both sides), stratified by each group's majority label.
 */
export function stratifiedSplit(labels: readonly number[], testShare: number, seed: number, groups?: readonly string[]): Split {
  const random = seededRandom(seed);
  const units = new Map<string, number[]>();
  labels.forEach((_, i) => {
    const key = groups ? groups[i] : String(i);
    let rows = units.get(key);
    if (!rows) units.set(key, (rows = []));
    rows.push(i);
  });
  const byClass = new Map<number, number[][]>();
  for (const rows of units.values()) {
    const unsafe = rows.filter((i) => labels[i] === 1).length;
    const cls = unsafe * 2 >= rows.length ? 1 : 0;
    let list = byClass.get(cls);
    if (!list) byClass.set(cls, (list = []));
    list.push(rows);
  }
  const train: number[] = [];
  const test: number[] = [];
  for (const cls of [...byClass.keys()].sort()) {
    const list = shuffleInPlace(byClass.get(cls)!, random);
    const total = list.reduce((n, rows) => n + rows.length, 0);
    let taken = 0;
    for (const rows of list) {
      if (taken < total * testShare) {
        test.push(...rows);
        taken += rows.length;
      } else train.push(...rows);
    }
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}
