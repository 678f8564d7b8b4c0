// Trains the command classifier: features → chi²-selected TF-IDF → balanced
// forest → Platt calibration on out-of-bag votes → threshold with the best
// out-of-bag F1 → evaluation on a held-out stratified split.
import { applyPlatt, fitPlatt } from './calibration';
import { trainForest, voteShare } from './forest';
import { permutationImportance } from './importance';
import { bestF1Threshold, evaluate } from './metrics';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, hashTrainingRows, type ModelFile, type TrainOptions } from './model-file';
import { plural } from '../plural';
import { stratifiedSplit, type Split } from './split';
import { commandFeatures, type CommandFeatures } from './features';
import { compileFeaturePolicy, shippedFeaturePolicy } from './knowledge-tokens';
import { featureNames, featureNgrams, fitVectorizer, vectorizer, type VectorizerState } from './vectorizer';

export interface LabelledCommand {
  command: string;
  /** 0 = safe, 1 = unsafe, 2 = unknown (ignored for training). */
  label: number;
  /** Rows of one group never straddle the split (a binary, a session). */
  group?: string;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  trees: 200,
  maxDepth: 10,
  features: 256,
  maxFeatures: 0.4,
  samplesPerClass: 400,
  safePerUnsafe: 2,
  testShare: 0.2,
  seed: 42,
};

export const MIN_TRAINING_ROWS = 10;

export class TrainingDataError extends Error {
  override name = 'TrainingDataError';
}

export type TrainProgress = { phase: 'features' | 'evaluate' } | { phase: 'trees'; done: number; total: number };

/**
 * The distinct labelled commands: a command repeated with the same label
 * (`git status` run 500 times) counts once. Repeats would otherwise fall on
 * both sides of the split, and the report would grade the model on commands
 * it was trained on.
 */
export function checkTrainingData(rows: readonly LabelledCommand[]): LabelledCommand[] {
  const seen = new Set<string>();
  const labelled = rows.filter((r) => {
    if (r.label !== 0 && r.label !== 1) return false;
    const key = `${r.label}\t${r.command}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (labelled.length < MIN_TRAINING_ROWS) {
    const unlabelled = rows.filter((r) => r.label !== 0 && r.label !== 1).length;
    const repeats = rows.length - unlabelled - labelled.length;
    const why = [unlabelled && `${unlabelled} of the ${rows.length} rows ${unlabelled === 1 ? 'is' : 'are'} unlabelled or unknown`, repeats && `${plural(repeats, 'row repeats', 'rows repeat')} a command already counted`].filter(Boolean);
    throw new TrainingDataError(
      `Not enough labeled training data (${labelled.length} samples)${why.length ? `: ${why.join(', ')}` : ''}. Training needs at least ${MIN_TRAINING_ROWS} distinct commands labelled safe or unsafe.`,
    );
  }
  const unsafe = labelled.filter((r) => r.label === 1).length;
  if (unsafe === 0) throw new TrainingDataError(`Training data has only safe examples (${labelled.length}); label at least one command unsafe`);
  if (unsafe === labelled.length) throw new TrainingDataError(`Training data has only unsafe examples (${labelled.length}); label at least one command safe`);
  return labelled;
}

/** Both classes on both sides of the split: one to learn from, one to judge the model on. */
function checkSplit(labels: readonly number[], split: { train: number[]; test: number[] }, groups?: readonly string[]): void {
  for (const [cls, name] of [[1, 'unsafe'], [0, 'safe']] as const) {
    if (split.train.some((i) => labels[i] === cls) && split.test.some((i) => labels[i] === cls)) continue;
    const rows = labels.filter((l) => l === cls).length;
    const where = groups ? `${new Set(labels.flatMap((l, i) => (l === cls ? [groups[i]] : []))).size} group(s)` : '';
    throw new TrainingDataError(
      `Too few ${name} examples to train on some and test on others (${rows}${where ? ` in ${where}` : ''}): label at least 2 commands ${name}${groups ? ', in different groups' : ''}`,
    );
  }
}

const rowGroups = (data: readonly LabelledCommand[]) => (data.every((r) => r.group) ? data.map((r) => r.group!) : undefined);

/** The held-out split: by the rows' groups, or else by command, so a command labelled both ways is on one side only. */
export function trainTestSplit(data: readonly LabelledCommand[], testShare: number, seed: number): Split {
  return stratifiedSplit(data.map((r) => r.label), testShare, seed, rowGroups(data) ?? data.map((r) => r.command));
}

export function trainModel(
  rows: readonly LabelledCommand[],
  options: Partial<TrainOptions> = {},
  onProgress: (p: TrainProgress) => void = () => {},
): ModelFile {
  const opts: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const data = checkTrainingData(rows);
  const labels = data.map((r) => r.label);
  // Groups (a binary, a session) keep related rows on one side of the split,
  // and an n-gram must occur in two groups to be kept, so it can carry over.
  const groups = rowGroups(data);
  const split = trainTestSplit(data, opts.testShare, opts.seed);
  checkSplit(labels, split, groups);

  onProgress({ phase: 'features' });
  const policy = shippedFeaturePolicy();
  const policySet = compileFeaturePolicy(policy);
  const featureCache = new Map<string, CommandFeatures>();
  const featuresOf = (command: string) => {
    let f = featureCache.get(command);
    if (!f) featureCache.set(command, (f = commandFeatures(command, policySet)));
    return f;
  };
  const ngram: [number, number] = [1, 3];
  const vocabulary = fitVectorizer(
    // One row's n-grams at a time: the lists of every row together weigh more than the rows.
    (function* () {
      for (const i of split.train) yield featureNgrams(featuresOf(data[i].command), ngram);
    })(),
    split.train.map((i) => labels[i]),
    { features: opts.features, ngram, groups: groups && split.train.map((i) => groups[i]) },
  );
  const state: VectorizerState = { ...vocabulary, policy };
  const vec = vectorizer(state);
  const X = data.map((r) => vec.row(featuresOf(r.command)));
  featureCache.clear();

  const trainX = split.train.map((i) => X[i]);
  const trainY = split.train.map((i) => labels[i]);
  const forest = trainForest(trainX, trainY, opts, (done) => onProgress({ phase: 'trees', done, total: opts.trees }));

  onProgress({ phase: 'evaluate' });
  const oob = forest.oobScores.flatMap((s, i) => (Number.isNaN(s) ? [] : [[s, trainY[i]] as const]));
  const calibration = fitPlatt(oob.map((o) => o[0]), oob.map((o) => o[1]));
  const calibrated = (share: number) => applyPlatt(calibration, share);
  const threshold = bestF1Threshold(oob.map((o) => o[1]), oob.map((o) => calibrated(o[0])));

  const testX = split.test.map((i) => X[i]);
  const testY = split.test.map((i) => labels[i]);
  const testScores = testX.map((row) => calibrated(voteShare(forest.trees, row)));
  const report = evaluate(testY, testScores, threshold);
  const topFeatures = permutationImportance(forest.trees, testX, testY, featureNames(state), { seed: opts.seed, top: 15, score: calibrated });
  const unsafe = labels.filter((y) => y === 1).length;
  return {
    format: MODEL_FORMAT,
    format_version: MODEL_FORMAT_VERSION,
    created_at: new Date().toISOString(),
    options: opts,
    vectorizer: state,
    flags: featureNames(state).slice(state.vocabulary.length),
    forest: forest.json,
    calibration,
    threshold,
    metrics: {
      ...report,
      topFeatures,
      trainRows: split.train.length,
      testRows: split.test.length,
      labelCounts: { safe: labels.length - unsafe, unsafe },
      repeatedRows: rows.filter((r) => r.label === 0 || r.label === 1).length - data.length,
    },
    training_data_hash: hashTrainingRows(data),
  };
}
