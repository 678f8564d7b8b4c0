// TF-IDF over 1–3-grams of the command tokens, with the vocabulary cut down to
// the top K n-grams by chi² against the label. The forest is dense, so K bounds
// both training time and the model's size.
import { FLAG_NAMES, SHAPE_TOKEN, commandFeatures, type CommandFeatures } from './features';
import { compileFeaturePolicy, type FeaturePolicy } from './knowledge-tokens';

export interface Vocabulary {
  /** Selected n-grams, in column order. */
  vocabulary: string[];
  /** Inverse document frequency of each selected n-gram. */
  idf: number[];
  /** The n-gram range used, e.g. [1, 3]. */
  ngram: [number, number];
}

export interface VectorizerState extends Vocabulary {
  /** The policy whose verdicts are tokens (see knowledge-tokens.ts). */
  policy: FeaturePolicy;
}

function appendNgrams(tokens: readonly string[], [min, max]: [number, number], prefix: string, out: string[]): void {
  for (let n = min; n <= max; n++) {
    for (let i = 0; i + n <= tokens.length; i++) out.push(prefix + (n === 1 ? tokens[i] : tokens.slice(i, i + n).join(' ')));
  }
}

/** The n-grams of a command's features: over its shell-aware tokens, and over its words (prefixed `~`). */
export function featureNgrams({ tokens, words }: CommandFeatures, range: [number, number]): string[] {
  const out: string[] = [];
  appendNgrams(tokens, range, '', out);
  appendNgrams(words, range, '~', out);
  return out;
}

/** Chi² of a binary feature against a binary label from the 2×2 table. */
function chiSquare(featureAndUnsafe: number, featureTotal: number, unsafeTotal: number, total: number): number {
  const a = featureAndUnsafe;
  const b = featureTotal - a;
  const c = unsafeTotal - a;
  const d = total - a - b - c;
  const denom = (a + b) * (c + d) * (a + c) * (b + d);
  return denom ? (total * (a * d - b * c) ** 2) / denom : 0;
}

export interface FitOptions {
  features: number;
  ngram?: [number, number];
  /** Ignore n-grams seen in fewer documents than this. */
  minDf?: number;
  /** Group of each document (its binary or session). */
  groups?: readonly string[];
  /** Ignore n-grams seen in fewer groups than this: they could not carry over to other binaries. */
  minGroups?: number;
  /**
   * Leave out n-grams naming the binary (`bin:…`, `sub:…`). Defaults to true
   * when rows have groups: the groups are then binaries or sessions, and the
   * model must carry over to binaries it has not seen.
   */
  skipBinaryNames?: boolean;
  /** Keep every shape token (features.ts SHAPE_TOKEN) seen often enough, besides the top K by chi². Default true. */
  keepShapeTokens?: boolean;
}

/** Tokens that name the binary or its subcommand rather than describe the command. */
const BINARY_NAME = /(^| )(bin|sub):/;

/** Learns the vocabulary from the training rows' n-gram lists (a generator keeps only one list in memory). */
export function fitVectorizer(docs: Iterable<readonly string[]>, labels: readonly number[], opts: FitOptions): Vocabulary {
  const ngram = opts.ngram ?? [1, 3];
  const minDf = opts.minDf ?? 2;
  const minGroups = opts.groups ? (opts.minGroups ?? 2) : 0;
  const skipBinaryNames = opts.skipBinaryNames ?? opts.groups !== undefined;
  const keepShapes = opts.keepShapeTokens ?? true;
  // Per n-gram: documents, unsafe documents, a hash of which documents, and up to minGroups groups.
  const stats = new Map<string, { n: number; unsafe: number; docs: number; groups: string[] }>();
  let i = -1;
  for (const grams of docs) {
    i++;
    for (const g of new Set(grams)) {
      if (skipBinaryNames && BINARY_NAME.test(g)) continue;
      let s = stats.get(g);
      if (!s) stats.set(g, (s = { n: 0, unsafe: 0, docs: 0, groups: [] }));
      s.n++;
      if (labels[i] === 1) s.unsafe++;
      s.docs = (Math.imul(s.docs, 31) + i + 1) | 0;
      const group = opts.groups?.[i];
      if (group !== undefined && s.groups.length < minGroups && !s.groups.includes(group)) s.groups.push(group);
    }
  }
  const total = i + 1;
  const unsafe = labels.filter((y) => y === 1).length;
  const scored: [string, number, number, string][] = [];
  for (const [g, s] of stats) if (s.n >= minDf && s.groups.length >= minGroups) scored.push([g, chiSquare(s.unsafe, s.n, unsafe, total), s.n, `${s.n}:${s.docs}`]);
  // Highest chi² first; ties broken by name so the choice is deterministic.
  scored.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  // An n-gram present in exactly the same documents as a chosen one (`bin sh`
  // beside `/bin/sh`) adds nothing for a tree; skip it to widen coverage.
  // Shape tokens come first and are always kept; then the top K others.
  const isShape = (c: (typeof scored)[number]) => keepShapes && SHAPE_TOKEN.test(c[0]);
  const chosen = scored.filter(isShape);
  const seen = new Set(chosen.map((c) => c[3]));
  const limit = chosen.length + opts.features;
  for (const c of scored) {
    if (chosen.length >= limit) break;
    if (isShape(c) || seen.has(c[3])) continue;
    seen.add(c[3]);
    chosen.push(c);
  }
  return {
    vocabulary: chosen.map((c) => c[0]),
    idf: chosen.map((c) => Math.log((1 + total) / (1 + c[2])) + 1),
    ngram,
  };
}

/** Column names: the vocabulary, then the engineered flags. */
export function featureNames(state: Vocabulary): string[] {
  return [...state.vocabulary, ...FLAG_NAMES.map((f) => `flag:${f}`)];
}

/** Single precision halves a training set's memory; training and prediction both see the same rounded values. */
export type FeatureRow = Float32Array;

export interface CommandVectorizer {
  width: number;
  /** Dense row: sublinear TF × IDF per selected n-gram, then 0/1 flags. */
  transform(command: string): FeatureRow;
  /** The same row from features already extracted with this vectorizer's policy. */
  row(features: CommandFeatures): FeatureRow;
}

export function vectorizer(state: VectorizerState): CommandVectorizer {
  const policy = compileFeaturePolicy(state.policy);
  const column = new Map(state.vocabulary.map((g, i) => [g, i]));
  const width = state.vocabulary.length + FLAG_NAMES.length;
  const toRow = (features: CommandFeatures) => {
    const row = new Array<number>(width).fill(0) as unknown as FeatureRow;
    for (const g of featureNgrams(features, state.ngram)) {
      const j = column.get(g);
      if (j !== undefined) row[j]++;
    }
    for (let j = 0; j < state.vocabulary.length; j++) if (row[j]) row[j] = (1 + Math.log(row[j])) * state.idf[j];
    FLAG_NAMES.forEach((f, k) => (row[state.vocabulary.length + k] = features.flags[f] ? 1 : 0));
    return row;
  };
  return { width, row: toRow, transform: (command) => toRow(commandFeatures(command, policy)) };
}
