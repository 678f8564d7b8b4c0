import { plural } from '../plural';
import type { ModelFile } from './model-file';

const pct = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
/** A positive importance too small for 4 places is shown as such, not as 0.0000. */
const importance = (x: number) => (x < 0.00005 ? '<0.0001' : x.toFixed(4));

function featureLines(features: ModelFile['metrics']['topFeatures']): string[] {
  if (!features.length) return ['  no single feature stands out: shuffling any one of them leaves ROC AUC unchanged'];
  return features.map((f) => `  ${importance(f.importance).padStart(8)}  ${f.feature}`);
}

const repeats = (n = 0) => (n ? `; ${plural(n, 'repeated row')} counted once` : '');

/** The training report as the seed prints it: per-class table, accuracy, AUC, confusion matrix, top features. */
export function formatTrainingReport(model: ModelFile): string {
  const m = model.metrics;
  const row = (name: string, c: { precision: number; recall: number; f1: number; support: number }) =>
    `  ${name.padEnd(8)} ${pct(c.precision).padStart(9)} ${pct(c.recall).padStart(9)} ${pct(c.f1).padStart(9)} ${String(c.support).padStart(9)}`;
  const [[tn, fp], [fn, tp]] = m.confusion;
  const lines = [
    `Trained on ${m.trainRows} commands, tested on ${m.testRows} others (labels: ${m.labelCounts.safe} safe, ${m.labelCounts.unsafe} unsafe${repeats(m.repeatedRows)})`,
    '',
    'Classification report (test split):',
    `  ${''.padEnd(8)} ${'precision'.padStart(9)} ${'recall'.padStart(9)} ${'f1'.padStart(9)} ${'support'.padStart(9)}`,
    row('safe', m.safe),
    row('unsafe', m.unsafe),
    '',
    `  accuracy  ${pct(m.accuracy)}`,
    `  ROC AUC   ${pct(m.rocAuc)}`,
    `  threshold ${pct(model.threshold)} (calibrated p(unsafe) at or above it is flagged; chosen for the best out-of-bag F1)`,
    '',
    'Confusion matrix (rows: actual, columns: predicted):',
    `  ${''.padEnd(8)} ${'safe'.padStart(7)} ${'unsafe'.padStart(7)}`,
    `  ${'safe'.padEnd(8)} ${String(tn).padStart(7)} ${String(fp).padStart(7)}`,
    `  ${'unsafe'.padEnd(8)} ${String(fn).padStart(7)} ${String(tp).padStart(7)}`,
    '',
    'Top features (permutation importance: drop in ROC AUC when shuffled):',
    ...featureLines(m.topFeatures),
  ];
  return lines.join('\n');
}
