import { applyPlatt } from './calibration';
import { flattenForest, voteShare } from './forest';
import type { ModelFile } from './model-file';
import { vectorizer } from './vectorizer';

export interface Prediction {
  prediction: 'safe' | 'unsafe';
  /** Probability of the predicted class. */
  confidence: number;
  p_unsafe: number;
}

export interface Predictor {
  model: ModelFile;
  predict(command: string): Prediction;
}

/** Rebuilds the vectorizer and the trees once; each prediction is then a few tree walks. */
export function createPredictor(model: ModelFile): Predictor {
  const vec = vectorizer(model.vectorizer);
  const trees = flattenForest(model.forest);
  return {
    model,
    predict(command) {
      const p = applyPlatt(model.calibration, voteShare(trees, vec.transform(command)));
      const unsafe = p >= model.threshold;
      return { prediction: unsafe ? 'unsafe' : 'safe', confidence: unsafe ? p : 1 - p, p_unsafe: p };
    },
  };
}
