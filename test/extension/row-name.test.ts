import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decisionText, LABEL_NAMES, rowName, shownTarget } from '../../webview/rowName';
import { pagerText } from '../../webview/pager';
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

test('control characters in a command are spelled out where it is shown and read out, never drawn raw', () => {
  const r = row({ target: 'echo "\x1b[31mred\x1b[0m"\tok\nrm x\u202e', agent: 'qa\x07' });
  assert.equal(shownTarget(r), 'echo "\\x1b[31mred\\x1b[0m"\\tok\\nrm x\\u202e');
  const name = rowName(r, 't');
  assert.ok(name.startsWith(`${shownTarget(r)}, deny,`), name);
  assert.ok(name.includes('qa\\x07, exec'), name);
  assert.doesNotMatch(name, /[\u0000-\u001f\u202e]/);
  assert.equal(r.target, 'echo "\x1b[31mred\x1b[0m"\tok\nrm x\u202e', 'the row keeps the exact command for its actions');
});

test('the pager: thousands separators, and the uncertain sort says it ranks only the newest calls', () => {
  assert.equal(pagerText(0, { shown: 100, total: 20000, matched: 20000 }), '1–100 of 20,000');
  assert.equal(pagerText(1900, { shown: 100, total: 2000, matched: 3200 }), '1,901–2,000 of the 2,000 newest (3,200 match)');
  assert.equal(pagerText(0, { shown: 48, total: 48, matched: 48 }), '1–48 of 48');
  assert.equal(pagerText(0, { shown: 0, total: 0, matched: 0 }), '0 of 0');
});
