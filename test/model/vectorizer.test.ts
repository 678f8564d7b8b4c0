import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHAPE_TOKEN, commandFeatures } from '../../src/core/model/features';
import { compileFeaturePolicy, shippedFeaturePolicy } from '../../src/core/model/knowledge-tokens';
import { featureNgrams, fitVectorizer } from '../../src/core/model/vectorizer';

// Each binary is its own group: `bin:` tokens would separate the classes here,
// but they cannot carry over to other binaries, so with groups they are left out.
const rows: [string, number, string][] = [
  ['aa /bin/sh', 1, 'aa'], ['aa -x /bin/sh', 1, 'aa'], ['bb /bin/sh', 1, 'bb'], ['bb -y /bin/sh', 1, 'bb'],
  ['cc file.txt', 0, 'cc'], ['cc -l file.txt', 0, 'cc'], ['dd file.txt', 0, 'dd'], ['dd -q file.txt', 0, 'dd'],
];
const policy = compileFeaturePolicy(shippedFeaturePolicy());
const docs = rows.map((r) => featureNgrams(commandFeatures(r[0], policy), [1, 3]));
const labels = rows.map((r) => r[1]);

test('with groups, the vocabulary leaves out binary names and single-group n-grams', () => {
  const { vocabulary } = fitVectorizer(docs, labels, { features: 50, groups: rows.map((r) => r[2]) });
  assert.ok(vocabulary.length > 0);
  assert.ok(!vocabulary.some((g) => /(^| )(bin|sub):/.test(g)), vocabulary.join(' | '));
  assert.ok(vocabulary.includes('arg:shell'));
});

test('without groups (telemetry), binary names stay eligible', () => {
  const { vocabulary } = fitVectorizer(docs, labels, { features: 200, minDf: 1 });
  assert.ok(vocabulary.some((g) => g.startsWith('bin:')));
});

test('shape tokens are always kept, and K more n-grams are chosen by chi²', () => {
  const { vocabulary } = fitVectorizer(docs, labels, { features: 1, groups: rows.map((r) => r[2]) });
  const shapes = vocabulary.filter((g) => SHAPE_TOKEN.test(g));
  // arg:shell separates the classes; arg:file_name is on the safe rows only; class:plain is on every row.
  for (const g of ['arg:shell', 'arg:file_name', 'class:plain', 'policy:allow']) assert.ok(shapes.includes(g), vocabulary.join(' | '));
  // Here every other n-gram covers the same rows as some shape token, so none adds a column.
  assert.ok(vocabulary.length - shapes.length <= 1);
  const without = fitVectorizer(docs, labels, { features: 1, groups: rows.map((r) => r[2]), keepShapeTokens: false });
  assert.equal(without.vocabulary.length, 1);
});
