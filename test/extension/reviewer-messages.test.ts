import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handleReviewerMessage, type ReviewerBackend } from '../../src/extension/reviewerMessages';
import { DEFAULT_QUERY, offersDenyRule, parseToExtension, sanitizeQuery, type EventRow, type ToWebview } from '../../webview/protocol';

const row = (id: string): EventRow => ({
  id, time: '2026-01-01T00:00:00Z', agent: 'a', session: 's', tool: 'exec', target: `cmd ${id}`,
  decision: 'allow', safetyScore: 0, prediction: null, label: null,
});

/** A backend over an in-memory list, recording what it was asked. */
function memoryBackend(opts: { failLabel?: boolean } = {}) {
  const labels = new Map<string, string>();
  const calls: string[] = [];
  const rows = Array.from({ length: 250 }, (_, i) => row(String(i)));
  const backend: ReviewerBackend = {
    status: async () => ({ telemetry: 'ready' }),
    query: async (q) => {
      calls.push(`query ${q.offset}/${q.limit}`);
      const hits = rows.filter((r) => r.target.includes(q.search));
      return { rows: hits.slice(q.offset, q.offset + q.limit), total: hits.length, matched: hits.length };
    },
    label: async (id, label) => {
      if (opts.failLabel) throw new Error('label: no telemetry event with id "x"');
      labels.set(id, label);
    },
    labelCounts: async () => ({ safe: [...labels.values()].filter((l) => l === 'safe').length, unsafe: [...labels.values()].filter((l) => l === 'unsafe').length, unknown: 0, unlabelled: 250 - labels.size }),
    model: async () => ({ model: null, note: 'no model yet' }),
    exportCsv: async () => void calls.push('export'),
    train: async (post) => post({ type: 'training', training: { state: 'done', message: 'ok' } }),
    cancelTraining: () => void calls.push('cancel'),
    addDenyRule: async (id) => {
      calls.push(`deny ${id}`);
      if (id === 'gone') throw new Error('no telemetry event with id "gone"');
      if (id === 'dup') return undefined; // already denied: nothing changed
      return { pattern: `cmd ${id}`, file: '/w/rampart.yaml', saved: false };
    },
    runAgentTask: async () => void calls.push('run agent'),
  };
  return { backend, calls, labels };
}

async function send(raw: unknown, backend: ReviewerBackend): Promise<ToWebview[]> {
  const out: ToWebview[] = [];
  await handleReviewerMessage(raw, backend, (m) => out.push(m));
  return out;
}

test('ready handshake: init, then label counts and model state', async () => {
  const { backend } = memoryBackend();
  const out = await send({ type: 'ready' }, backend);
  assert.deepEqual(out.map((m) => m.type), ['init', 'labelCounts', 'model']);
  assert.deepEqual(out[2], { type: 'model', model: null, note: 'no model yet' });
});

test('queries page through the events and echo the (sanitised) query', async () => {
  const { backend } = memoryBackend();
  const [page2] = await send({ type: 'query', query: { ...DEFAULT_QUERY, offset: 100 } }, backend);
  assert.equal(page2.type, 'events');
  if (page2.type !== 'events') return;
  assert.equal(page2.total, 250);
  assert.equal(page2.rows[0].id, '100');
  assert.equal(page2.rows.length, 100);
  const [huge] = await send({ type: 'query', query: { limit: 10_000_000, offset: -3, sort: 'bogus' } }, backend);
  if (huge.type !== 'events') return assert.fail('expected events');
  assert.equal(huge.query.limit, 500);
  assert.equal(huge.query.offset, 0);
  assert.equal(huge.query.sort, 'recent');
});

test('labelling answers with the label and fresh counts; a failure becomes an error message', async () => {
  const { backend, labels } = memoryBackend();
  const out = await send({ type: 'label', id: '7', label: 'unsafe', reason: 'pipes to a shell' }, backend);
  assert.deepEqual(out[0], { type: 'labelled', id: '7', label: 'unsafe', reason: 'pipes to a shell' });
  assert.equal(out[1].type === 'labelCounts' && out[1].counts.unsafe, 1);
  assert.equal(out[2].type, 'model', 'the model panel follows the labels (its note says what training still needs)');
  assert.equal(labels.get('7'), 'unsafe');
  const failing = memoryBackend({ failLabel: true }).backend;
  const err = await send({ type: 'label', id: 'x', label: 'safe' }, failing);
  assert.deepEqual(err, [{ type: 'error', message: 'label: label: no telemetry event with id "x"' }]);
});

test('malformed messages are rejected with a reason, never passed on', async () => {
  const { backend, labels, calls } = memoryBackend();
  for (const bad of [null, 'ready', { type: 'drop-table' }, { type: 'label', id: '1', label: 'evil' }, { type: 'label', label: 'safe' }, { type: 'label', id: '1', label: 'safe', reason: 42 }]) {
    const out = await send(bad, backend);
    assert.equal(out.length, 1);
    assert.equal(out[0].type, 'error', JSON.stringify(bad));
  }
  assert.equal(labels.size, 0);
  assert.deepEqual(calls, []);
  assert.deepEqual(parseToExtension({ type: 'label', id: '1', label: 'safe', reason: 'x'.repeat(2000) }), { type: 'label', id: '1', label: 'safe', reason: 'x'.repeat(500) });
});

test('train relays progress and then the model; cancel reaches the backend', async () => {
  const { backend, calls } = memoryBackend();
  const out = await send({ type: 'train' }, backend);
  assert.deepEqual(out.map((m) => m.type), ['training', 'model']);
  await send({ type: 'cancelTraining' }, backend);
  await send({ type: 'exportCsv' }, backend);
  await send({ type: 'runAgentTask' }, backend);
  assert.deepEqual(calls, ['cancel', 'export', 'run agent']);
});

test('sanitizeQuery fills defaults and clamps strings', () => {
  assert.deepEqual(sanitizeQuery(undefined), DEFAULT_QUERY);
  assert.equal(sanitizeQuery({ search: 'y'.repeat(1000) }).search.length, 200);
  assert.equal(sanitizeQuery({ label: 'unlabelled', decision: 'deny' }).label, 'unlabelled');
});

test('addDenyRule reaches the backend only with an event id and reports the proposed rule', async () => {
  const { backend, calls } = memoryBackend();
  assert.deepEqual(await send({ type: 'addDenyRule', id: '7' }, backend), [{ type: 'denyRuleProposed', id: '7', pattern: 'cmd 7', file: '/w/rampart.yaml', saved: false }]);
  assert.deepEqual(await send({ type: 'addDenyRule', id: 'dup' }, backend), [], 'nothing changed, nothing to report');
  assert.deepEqual(await send({ type: 'addDenyRule', id: 'gone' }, backend), [{ type: 'error', message: 'addDenyRule: no telemetry event with id "gone"' }]);
  for (const bad of [{ type: 'addDenyRule' }, { type: 'addDenyRule', id: '' }, { type: 'addDenyRule', id: 7 }]) {
    const out = await send(bad, backend);
    assert.equal(out.length, 1);
    assert.match(out[0].type === 'error' ? out[0].message : '', /addDenyRule: missing event id/);
  }
  assert.deepEqual(calls, ['deny 7', 'deny dup', 'deny gone']);
});

test('the deny action is offered for commands the model flags unsafe or a human labelled unsafe, unless the policy denied them', () => {
  const unsafe = { label: 'unsafe' as const, confidence: 0.9, pUnsafe: 0.9 };
  const safe = { label: 'safe' as const, confidence: 0.9, pUnsafe: 0.1 };
  assert.equal(offersDenyRule({ ...row('1'), prediction: unsafe }), true);
  assert.equal(offersDenyRule({ ...row('1'), label: 'unsafe' }), true);
  assert.equal(offersDenyRule({ ...row('1'), prediction: safe }), false);
  assert.equal(offersDenyRule({ ...row('1'), prediction: safe, label: 'safe' }), false);
  assert.equal(offersDenyRule(row('1')), false, 'no prediction, no label');
  assert.equal(offersDenyRule({ ...row('1'), tool: 'read', prediction: unsafe }), false, 'only commands');
  assert.equal(offersDenyRule({ ...row('1'), target: '  ', prediction: unsafe }), false, 'nothing to deny');
  assert.equal(offersDenyRule({ ...row('1'), decision: 'deny', label: 'unsafe', prediction: unsafe }), false, 'already denied');
  assert.equal(offersDenyRule({ ...row('1'), decision: 'ask', label: 'unsafe' }), true, 'an ask can become a deny');
  assert.equal(offersDenyRule({ ...row('1'), decision: 'ask', label: 'unsafe', deniedNow: true }), false, 'a deny rule was added since');
});
