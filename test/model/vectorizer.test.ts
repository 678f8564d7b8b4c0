import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandNgrams, fitVectorizer } from '../../src/core/model/vectorizer';

// Each binary is its own group: `bin:` tokens would separate the classes here,
// but they cannot carry over to other binaries, so with groups they are left out.
const rows: [string, number, string][] = [
  ['aa /bin/sh', 1, 'aa'], ['aa -x /bin/sh', 1, 'aa'], ['bb /bin/sh', 1, 'bb'], ['bb -y /bin/sh', 1, 'bb'],
  ['cc file.txt', 0, 'cc'], ['cc -l file.txt', 0, 'cc'], ['dd file.txt', 0, 'dd'], ['dd -q file.txt', 0, 'dd'],
];
const docs = rows.map((r) => commandNgrams(r[0], [1, 3]));
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
