// The model file: everything needed to reproduce predictions, as JSON.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { replaceFileSync } from '../replace-file';
import { dirname } from 'node:path';
import { makeDirs } from '../make-dirs';
import type { PlattScaling } from './calibration';
import type { ForestJson } from './forest';
import { policyDigest } from './knowledge-tokens';
import type { FeatureImportance } from './importance';
import type { EvaluationReport } from './metrics';
import type { VectorizerState } from './vectorizer';

export const MODEL_FORMAT = 'rampart-learn.model';
export const MODEL_FORMAT_VERSION = 2;

export interface TrainOptions {
  trees: number;
  maxDepth: number;
  /** Vocabulary size kept by chi². */
  features: number;
  maxFeatures: number;
  samplesPerClass: number;
  safePerUnsafe: number;
  testShare: number;
  seed: number;
}

export interface TrainingReport extends EvaluationReport {
  topFeatures: FeatureImportance[];
  trainRows: number;
  testRows: number;
  labelCounts: { safe: number; unsafe: number };
  /** Labelled rows left out because they repeat a command with the same label (absent in models before it was counted). */
  repeatedRows?: number;
}

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  format_version: number;
  created_at: string;
  options: TrainOptions;
  vectorizer: VectorizerState;
  flags: string[];
  forest: ForestJson;
  calibration: PlattScaling;
  /** Calibrated probability at or above which a command is predicted unsafe. */
  threshold: number;
  metrics: TrainingReport;
  /** SHA-256 of the labelled rows the model was trained and tested on. */
  training_data_hash: string;
}

export function hashTrainingRows(rows: readonly { command: string; label: number }[]): string {
  const h = createHash('sha256');
  for (const r of rows) h.update(`${r.label}\t${r.command}\n`);
  return h.digest('hex');
}

export function saveModelFile(path: string, model: ModelFile): void {
  makeDirs(dirname(path));
  replaceFileSync(path, JSON.stringify(model), 0o644);
}

export class ModelFileError extends Error {}

export function readModelFile(path: string): ModelFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ModelFileError(`${path}: cannot read model: ${(err as Error).message}`);
  }
  const m = parsed as Partial<ModelFile>;
  if (m?.format !== MODEL_FORMAT) throw new ModelFileError(`${path}: not a Rampart Learn model file`);
  if (m.format_version !== MODEL_FORMAT_VERSION) {
    throw new ModelFileError(`${path}: model format version ${m.format_version} is not supported (expected ${MODEL_FORMAT_VERSION}); retrain it`);
  }
  const policy = m.vectorizer?.policy;
  if (typeof policy?.text !== 'string' || policyDigest(policy.text) !== policy.sha256) {
    throw new ModelFileError(`${path}: the model's feature policy is missing or does not match its sha256; retrain it`);
  }
  const damage = damagedPart(m);
  if (damage) throw new ModelFileError(`${path}: damaged model file (${damage}); retrain it`);
  return m as ModelFile;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * What is wrong with the parts a prediction reads, if anything: a threshold that
 * is not a number would turn every verdict into "safe".
 */
function damagedPart(m: Partial<ModelFile>): string | undefined {
  if (!finite(m.threshold) || m.threshold < 0 || m.threshold > 1) return 'threshold is not a number from 0 to 1';
  if (!finite(m.calibration?.a) || !finite(m.calibration?.b)) return 'calibration is missing or not numeric';
  const v = m.vectorizer;
  if (!Array.isArray(v?.vocabulary) || !Array.isArray(v.idf) || v.vocabulary.length !== v.idf.length || !v.idf.every(finite)) {
    return 'vocabulary and idf do not match';
  }
  if (!Array.isArray(m.flags)) return 'flags are missing';
  if (typeof m.forest !== 'object' || m.forest === null) return 'forest is missing';
  return undefined;
}
