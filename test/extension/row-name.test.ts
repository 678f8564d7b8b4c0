import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decisionText, LABEL_NAMES, rowName } from '../../webview/rowName';
import { LABELS, type EventRow } from '../../webview/protocol';

const row = (extra: Partial<EventRow> = {}): EventRow => ({
  id: '1', time: '2026-01-01T00:00:00Z', agent: 'scripted', session: 's', tool: 'exec', target: 'rm -rf ./scratch',
  decision: 'deny', safetyScore: 100, prediction: null, label: null, ...extra,
});

test('a row is named in words: the label and decision the table shows in colour are said', () => {
  assert.equal(rowName(row(), '11:12 AM'), 'rm -rf ./scratch, deny, not labelled, score 100, scripted, exec, 11:12 AM');
  assert.equal(
    rowName(row({ label: 'unsafe', reason: 'deletes files', prediction: { label: 'unsafe', confidence: 0.87, pUnsafe: 0.87 } }), '11:12 AM'),
    'rm -rf ./scratch, deny, labelled unsafe, reason: deletes files, score 100, predicted unsafe 87%, scripted, exec, 11:12 AM',
  );
  assert.equal(rowName(row({ decision: 'allow', safetyScore: null }), 't'), 'rm -rf ./scratch, allow, not labelled, scripted, exec, t');
});

test('how an ask ended: an arrow in the badge, words in the name', () => {
  const refused = row({ decision: 'ask', approval: 'refused' });
  assert.equal(decisionText(refused), 'ask → denied');
  assert.match(rowName(refused, 't'), /^rm -rf \.\/scratch, ask, denied, /);
  assert.equal(decisionText(row({ decision: 'ask', approval: 'approved' })), 'ask → approved');
  assert.equal(decisionText(row({ decision: 'ask' })), 'ask');
});

test('a Learn-mode deny or ask ran: the badge and the name say "would", not that it was blocked', () => {
  assert.equal(decisionText(row({ enforced: false })), 'would deny');
  assert.equal(decisionText(row({ decision: 'ask', enforced: false })), 'would ask');
  assert.equal(decisionText(row({ decision: 'allow', enforced: false })), 'allow');
  assert.match(rowName(row({ enforced: false }), 't'), /^rm -rf \.\/scratch, would deny, not labelled, /);
});

test('every label has a button name', () => {
  for (const l of LABELS) assert.ok(LABEL_NAMES[l]);
  assert.deepEqual(Object.values(LABEL_NAMES), ['Safe', 'Unsafe', 'Unknown']);
});
