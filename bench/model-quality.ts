// `npm run bench:model`: trains on a group-held-out part of the labelled dev
// set (../shared/data/commands/dev.csv) and scores the held-out groups, so no
// binary or session is on both sides. Last line: one JSON object.
import { join } from 'node:path';
import { evaluate } from '../src/core/model/metrics';
import { createPredictor } from '../src/core/model/predictor';
import { stratifiedSplit } from '../src/core/model/split';
import { trainModel } from '../src/core/model/trainer';
import { readTrainingCsv } from '../src/core/model/training-data';

const csv = process.argv[2] ?? join(__dirname, '../../shared/data/commands/dev.csv');
const rows = readTrainingCsv(csv).filter((r) => r.label !== 2);
const split = stratifiedSplit(rows.map((r) => r.label), 0.25, 7, rows.map((r) => r.group ?? r.command));
const train = split.train.map((i) => rows[i]);
const held = split.test.map((i) => rows[i]);
process.stderr.write(`train ${train.length} rows, held-out ${held.length} rows (${held.filter((r) => r.label === 1).length} unsafe)\n`);

const t0 = performance.now();
const c0 = process.cpuUsage();
const model = trainModel(train, process.env.TREES ? { trees: Number(process.env.TREES) } : {});
const trainSeconds = (performance.now() - t0) / 1000;
const c1 = process.cpuUsage(c0);
const trainCpuSeconds = (c1.user + c1.system) / 1e6;
const predictor = createPredictor(model);
const t1 = performance.now();
const scores = held.map((r) => predictor.predict(r.command).p_unsafe);
const predictMs = (performance.now() - t1) / held.length;
const report = evaluate(held.map((r) => r.label), scores, model.threshold);
process.stderr.write(
  `held-out unsafe: precision ${report.unsafe.precision.toFixed(3)} recall ${report.unsafe.recall.toFixed(3)} F1 ${report.unsafe.f1.toFixed(3)}; ROC AUC ${report.rocAuc.toFixed(3)}; threshold ${model.threshold.toFixed(3)}\n`,
);
process.stderr.write(`top features: ${model.metrics.topFeatures.slice(0, 8).map((f) => f.feature).join(' | ')}\n`);
process.stdout.write(
  `${JSON.stringify({
    heldout_unsafe_precision: +report.unsafe.precision.toFixed(4),
    heldout_unsafe_recall: +report.unsafe.recall.toFixed(4),
    heldout_unsafe_f1: +report.unsafe.f1.toFixed(4),
    heldout_roc_auc: +report.rocAuc.toFixed(4),
    threshold: +model.threshold.toFixed(4),
    train_s: +trainSeconds.toFixed(2),
    train_cpu_s: +trainCpuSeconds.toFixed(2),
    predict_ms: +predictMs.toFixed(4),
  })}\n`,
);
