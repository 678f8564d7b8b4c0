// The classifier for the window: its model file in the extension storage,
// loaded on first use, and training in a worker thread. Predictions inform
// the Reviewer's scores and sort; they never change a gate decision.
import { statSync } from 'node:fs';
import type { ModelFile } from '../core/model/model-file';
import type { LabelledCommand, TrainProgress } from '../core/model/trainer';
import type { Prediction, Predictor } from '../core/model/predictor';
import type { ModelSummary } from '../../webview/protocol';
import type { TelemetryStore } from '../core/telemetry/store';
import { labelledCommands } from '../core/model/training-data';

/** Distinct commands whose predictions are kept; agents repeat themselves, so a few thousand cover most rows. */
export const PREDICTION_CACHE_SIZE = 20_000;

/**
 * The same predictor, remembering its answers by command text: the gate asks
 * once per call and the Reviewer again for every page and every "most
 * uncertain first" ranking, mostly about the same few commands. When full, the
 * oldest answer is dropped.
 */
export function memoized(p: Predictor, size = PREDICTION_CACHE_SIZE): Predictor {
  const seen = new Map<string, Prediction>();
  return {
    model: p.model,
    predict(command) {
      let out = seen.get(command);
      if (!out) {
        if (seen.size >= size) seen.delete(seen.keys().next().value as string);
        seen.set(command, (out = p.predict(command)));
      }
      return out;
    },
  };
}

export class ModelService {
  private predictor?: Predictor | null;
  /** Why the model file could not be loaded, for that version of the file: the gate asks on every call. */
  private failed?: { mtimeMs: number; error: Error };

  constructor(readonly file: string) {}

  /** The current predictor, or null when no model was trained yet. Throws when the file cannot be loaded. */
  async current(): Promise<Predictor | null> {
    if (this.predictor !== undefined) return this.predictor;
    const stat = statSync(this.file, { throwIfNoEntry: false });
    if (!stat) return null;
    const { mtimeMs } = stat;
    if (this.failed?.mtimeMs === mtimeMs) throw this.failed.error;
    const [{ readModelFile }, { createPredictor }] = await Promise.all([import('../core/model/model-file'), import('../core/model/predictor')]);
    try {
      this.predictor = memoized(createPredictor(readModelFile(this.file)));
    } catch (err) {
      this.failed = { mtimeMs, error: err as Error };
      throw err;
    }
    return this.predictor;
  }

  async train(rows: LabelledCommand[], options: { trees: number; maxDepth: number }, onProgress: (p: TrainProgress) => void, signal: AbortSignal): Promise<ModelFile> {
    const [{ trainInWorker }, { saveModelFile }, { createPredictor }] = await Promise.all([
      import('../core/model/train-in-worker'),
      import('../core/model/model-file'),
      import('../core/model/predictor'),
    ]);
    const model = await trainInWorker(rows, options, { onProgress, signal });
    saveModelFile(this.file, model);
    this.predictor = memoized(createPredictor(model));
    return model;
  }
}

/** Fewer held-out rows than this in either class and the test scores are mostly noise. */
export const MIN_TEST_ROWS_PER_CLASS = 5;

export function modelSummary(m: ModelFile): ModelSummary {
  const r = m.metrics;
  const [safe, unsafe] = [r.safe.support, r.unsafe.support];
  return {
    createdAt: m.created_at,
    trainRows: r.trainRows,
    testRows: r.testRows,
    accuracy: r.accuracy,
    rocAuc: Number.isFinite(r.rocAuc) ? r.rocAuc : null,
    threshold: m.threshold,
    safe: r.safe,
    unsafe: r.unsafe,
    confusion: r.confusion,
    topFeatures: r.topFeatures.filter((f) => f.importance > 0),
    labelCounts: r.labelCounts,
    ...(Math.min(safe, unsafe) < MIN_TEST_ROWS_PER_CLASS && {
      caveat: `Too few labels to judge: the test set held only ${safe} safe and ${unsafe} unsafe rows, so these scores can swing widely. Label more calls and train again.`,
    }),
  };
}

/**
 * The labelled commands training uses (the latest label of each event), and how
 * many distinct commands carry each label: the trainer counts a command
 * labelled again once, so readiness is judged on the same count.
 */
export function trainingRows(store: TelemetryStore): { rows: LabelledCommand[]; distinct: { safe: number; unsafe: number } } {
  // The rows `train --db` reads: command events only (a labelled path or URL is not a command).
  const rows = labelledCommands(store);
  const distinctOf = (label: number) => new Set(rows.filter((r) => r.label === label).map((r) => r.command)).size;
  return { rows, distinct: { safe: distinctOf(0), unsafe: distinctOf(1) } };
}

/**
 * What training still needs, or undefined when the labels suffice: the one
 * check Run Trainer and Train Model apply before training.
 */
export function trainingShortfall(counts: { safe: number; unsafe: number }, minLabels: number): string | undefined {
  if (counts.safe + counts.unsafe >= minLabels && counts.safe > 0 && counts.unsafe > 0) return undefined;
  return `training needs at least ${minLabels} labelled commands, both safe and unsafe ones (now ${counts.safe} safe, ${counts.unsafe} unsafe; a command labelled again counts once)`;
}

/** The model panel's text before the first training run. */
export function noModelNote(counts: { safe: number; unsafe: number }, minLabels: number): string {
  const short = trainingShortfall(counts, minLabels);
  return short
    ? `No model yet: ${short}. Label calls with S (safe) and U (unsafe), then press Run Trainer.`
    : `No model yet. ${counts.safe} safe and ${counts.unsafe} unsafe labelled commands are enough: press Run Trainer.`;
}

/** One line for a progress notification. */
export function progressText(p: TrainProgress): { message: string; fraction: number } {
  if (p.phase === 'trees') return { message: `Training trees ${p.done}/${p.total}`, fraction: 0.1 + (0.8 * p.done) / Math.max(1, p.total) };
  return p.phase === 'features' ? { message: 'Extracting features', fraction: 0.05 } : { message: 'Evaluating', fraction: 0.95 };
}
