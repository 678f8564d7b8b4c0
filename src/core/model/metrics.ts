// Evaluation of a binary classifier (0 = safe, 1 = unsafe).

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface EvaluationReport {
  safe: ClassMetrics;
  unsafe: ClassMetrics;
  accuracy: number;
  rocAuc: number;
  /** [[true safe, safe predicted unsafe], [unsafe predicted safe, true unsafe]] */
  confusion: [[number, number], [number, number]];
  threshold: number;
}

function classMetrics(tp: number, fp: number, fn: number): ClassMetrics {
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, support: tp + fn };
}

/** ROC AUC as the Mann–Whitney statistic, ties counted half. */
export function rocAuc(labels: readonly number[], scores: readonly number[]): number {
  const order = scores.map((s, i) => [s, labels[i]] as const).sort((a, b) => a[0] - b[0]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j][0] === order[i][0]) j++;
    const midRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (order[k][1] === 1) {
      positives++;
      rankSum += midRank;
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (!positives || !negatives) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function evaluate(labels: readonly number[], scores: readonly number[], threshold: number): EvaluationReport {
  let tp = 0, fp = 0, tn = 0, fn = 0;
  labels.forEach((y, i) => {
    const predicted = scores[i] >= threshold ? 1 : 0;
    if (predicted === 1 && y === 1) tp++;
    else if (predicted === 1) fp++;
    else if (y === 1) fn++;
    else tn++;
  });
  return {
    safe: classMetrics(tn, fn, fp),
    unsafe: classMetrics(tp, fp, fn),
    accuracy: labels.length ? (tp + tn) / labels.length : 0,
    rocAuc: rocAuc(labels, scores),
    confusion: [[tn, fp], [fn, tp]],
    threshold,
  };
}

/** The threshold with the best unsafe F1 (the midpoint between neighbouring scores). */
export function bestF1Threshold(labels: readonly number[], scores: readonly number[]): number {
  const order = scores.map((s, i) => [s, labels[i]] as const).sort((a, b) => b[0] - a[0]);
  const positives = labels.filter((y) => y === 1).length;
  let tp = 0;
  let fp = 0;
  let best = { f1: -1, threshold: 0.5 };
  for (let i = 0; i < order.length; i++) {
    if (order[i][1] === 1) tp++;
    else fp++;
    // Only cut between distinct scores: everything at or above order[i] is flagged.
    if (i + 1 < order.length && order[i + 1][0] === order[i][0]) continue;
    const f1 = (2 * tp) / (2 * tp + fp + (positives - tp));
    const next = i + 1 < order.length ? order[i + 1][0] : 0;
    if (f1 > best.f1) best = { f1, threshold: (order[i][0] + next) / 2 };
  }
  return best.threshold;
}
