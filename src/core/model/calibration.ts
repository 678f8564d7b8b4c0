/**
 * Platt scaling: maps a raw vote share to a probability, p = 1 / (1 + e^(a·s + b)).
 * The forest is trained on class-balanced bags, so its raw vote share overstates
 * the unsafe probability; fitting on out-of-bag votes corrects that.
 */
export interface PlattScaling {
  a: number;
  b: number;
}

export function applyPlatt({ a, b }: PlattScaling, score: number): number {
  const z = a * score + b;
  // Written so neither branch overflows for large |z|.
  return z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
}

/** Log-loss against Platt's smoothed targets, computed without overflow. */
function objective(scores: readonly number[], targets: readonly number[], a: number, b: number): number {
  let f = 0;
  for (let i = 0; i < scores.length; i++) {
    const z = a * scores[i] + b;
    f += z >= 0 ? targets[i] * z + Math.log1p(Math.exp(-z)) : (targets[i] - 1) * z + Math.log1p(Math.exp(z));
  }
  return f;
}

/**
 * Newton's method with a backtracking line search (the robust form of Platt's
 * algorithm): plain Newton steps diverge when the scores separate the classes
 * well, and every probability then saturates to 0 or 1.
 */
export function fitPlatt(scores: readonly number[], labels: readonly number[]): PlattScaling {
  const positives = labels.filter((y) => y === 1).length;
  const negatives = labels.length - positives;
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (negatives + 2);
  const targets = labels.map((y) => (y === 1 ? hi : lo));
  let a = 0;
  let b = Math.log((negatives + 1) / (positives + 1));
  let f = objective(scores, targets, a, b);
  for (let iter = 0; iter < 100; iter++) {
    let gA = 0, gB = 0, hAA = 1e-12, hAB = 0, hBB = 1e-12;
    for (let i = 0; i < scores.length; i++) {
      const p = applyPlatt({ a, b }, scores[i]);
      // d(loss)/dz = t − p and d²(loss)/dz² = p(1 − p) for z = a·s + b.
      const d = targets[i] - p;
      const w = p * (1 - p);
      gA += d * scores[i];
      gB += d;
      hAA += w * scores[i] * scores[i];
      hAB += w * scores[i];
      hBB += w;
    }
    if (Math.abs(gA) < 1e-5 && Math.abs(gB) < 1e-5) break;
    const det = hAA * hBB - hAB * hAB;
    const dA = -(hBB * gA - hAB * gB) / det;
    const dB = -(hAA * gB - hAB * gA) / det;
    const slope = gA * dA + gB * dB;
    let step = 1;
    while (step >= 1e-10) {
      const na = a + step * dA;
      const nb = b + step * dB;
      const nf = objective(scores, targets, na, nb);
      if (nf < f + 1e-4 * step * slope) {
        a = na;
        b = nb;
        f = nf;
        break;
      }
      step /= 2;
    }
    if (step < 1e-10) break;
  }
  return { a, b };
}
