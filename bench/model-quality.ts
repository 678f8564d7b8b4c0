// `npm run bench:model`: trains on a group-held-out part of the labelled dev
// set (../shared/data/commands/dev.csv) and scores the held-out groups, so no
// binary or session is on both sides. Last line: one JSON object.
//
// Options: [csv] (default the dev set), --seeds 7,8,9 (one split per seed,
// default 7; the figures are then means, with each split's in `splits`: one
// split holds out under 200 unsafe rows, so its F1 moves by a few points with
// the split alone). TREES=n in the environment overrides the tree count.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluate } from '../src/core/model/metrics';
import { createPredictor } from '../src/core/model/predictor';
import { stratifiedSplit } from '../src/core/model/split';
import { trainModel } from '../src/core/model/trainer';
import { readTrainingCsv } from '../src/core/model/training-data';
import { SHARED_DATA } from '../test/shared-data';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { seeds: { type: 'string', default: '7' } } });
const csv = positionals[0] ?? join(SHARED_DATA, 'commands', 'dev.csv');
const seeds = values.seeds.split(',').map(Number);
const rows = readTrainingCsv(csv).filter((r) => r.label !== 2);

interface SplitResult {
  seed: number;
  heldout_unsafe_precision: number;
  heldout_unsafe_recall: number;
  heldout_unsafe_f1: number;
  heldout_roc_auc: number;
  threshold: number;
  train_s: number;
  train_cpu_s: number;
  predict_ms: number;
}

function runSplit(seed: number): SplitResult {
  const split = stratifiedSplit(rows.map((r) => r.label), 0.25, seed, rows.map((r) => r.group ?? r.command));
  const train = split.train.map((i) => rows[i]);
  const held = split.test.map((i) => rows[i]);
  process.stderr.write(`split ${seed}: train ${train.length} rows, held-out ${held.length} rows (${held.filter((r) => r.label === 1).length} unsafe)\n`);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const model = trainModel(train, process.env.TREES ? { trees: Number(process.env.TREES) } : {});
  const trainSeconds = (performance.now() - t0) / 1000;
  const c1 = process.cpuUsage(c0);
  const predictor = createPredictor(model);
  const t1 = performance.now();
  const scores = held.map((r) => predictor.predict(r.command).p_unsafe);
  const predictMs = (performance.now() - t1) / held.length;
  const report = evaluate(held.map((r) => r.label), scores, model.threshold);
  process.stderr.write(
    `  held-out unsafe: precision ${report.unsafe.precision.toFixed(3)} recall ${report.unsafe.recall.toFixed(3)} F1 ${report.unsafe.f1.toFixed(3)}; ROC AUC ${report.rocAuc.toFixed(3)}; threshold ${model.threshold.toFixed(3)}\n`,
  );
  process.stderr.write(`  top features: ${model.metrics.topFeatures.slice(0, 8).map((f) => f.feature).join(' | ')}\n`);
  return {
    seed,
    heldout_unsafe_precision: report.unsafe.precision,
    heldout_unsafe_recall: report.unsafe.recall,
    heldout_unsafe_f1: report.unsafe.f1,
    heldout_roc_auc: report.rocAuc,
    threshold: model.threshold,
    train_s: trainSeconds,
    train_cpu_s: (c1.user + c1.system) / 1e6,
    predict_ms: predictMs,
  };
}

const results = seeds.map(runSplit);
const round = (x: number) => +x.toFixed(4);
const mean = (key: Exclude<keyof SplitResult, 'seed'>) => round(results.reduce((s, r) => s + r[key], 0) / results.length);
process.stdout.write(
  `${JSON.stringify({
    heldout_unsafe_precision: mean('heldout_unsafe_precision'),
    heldout_unsafe_recall: mean('heldout_unsafe_recall'),
    heldout_unsafe_f1: mean('heldout_unsafe_f1'),
    heldout_roc_auc: mean('heldout_roc_auc'),
    threshold: mean('threshold'),
    train_s: mean('train_s'),
    train_cpu_s: mean('train_cpu_s'),
    predict_ms: mean('predict_ms'),
    ...(results.length > 1 && { splits: results.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v)]))) }),
  })}\n`,
);
