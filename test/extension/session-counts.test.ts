import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countEvent, countsDetail, countsSummary, emptyCounts, sessionDescription } from '../../src/extension/sessionTypes';
import type { AuditEvent } from '../../src/core/types';

const decided = (action: AuditEvent['decision']['action'], approval?: AuditEvent['decision']['approval']) =>
  ({ decision: { action, approval } }) as Pick<AuditEvent, 'decision'>;

test('a refused ask reads as denied; asks show how many were approved', () => {
  const c = emptyCounts();
  for (const e of [decided('allow'), decided('deny'), decided('ask', 'approved'), decided('ask', 'refused'), decided('ask', 'none'), decided('watch')]) countEvent(c, e);
  assert.deepEqual(c, { calls: 6, denied: 3, asked: 3, approved: 1, refused: 2, watched: 1 });
  assert.equal(countsSummary(c), '6 calls · 3 denied · 3 asked (1 approved)');
  assert.equal(countsDetail(c), '6 calls: 3 denied, 3 asked (1 approved, 2 refused), 1 watched');
});

test('Learn mode asks nobody: no approval count is shown', () => {
  const c = emptyCounts();
  countEvent(c, decided('ask'));
  countEvent(c, decided('deny'));
  assert.equal(countsSummary(c), '2 calls · 1 denied · 1 asked');
  // …and blocks nothing: in its own words, the counts are what the policy would have done.
  assert.equal(countsSummary(c, 'learn'), '2 calls · 1 would be denied · 1 would be asked');
  assert.equal(countsDetail(c, 'learn'), '2 calls: 1 would be denied, 1 would be asked, 0 watched');
  assert.equal(countsSummary(c, 'enforce'), '2 calls · 1 denied · 1 asked');
});

test('one call is "1 call"', () => {
  const c = emptyCounts();
  countEvent(c, decided('allow'));
  assert.equal(countsSummary(c), '1 call · 0 denied · 0 asked');
  assert.match(countsDetail(c), /^1 call: /);
});

test('a Sessions row shows its start time, and its folder in a multi-root window', () => {
  const startedAt = new Date(2026, 0, 2, 9, 5);
  const s = { startedAt, folder: { name: 'alpha' }, counts: emptyCounts() };
  const time = startedAt.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  assert.equal(sessionDescription(s, false), `${time} · 0 calls · 0 denied · 0 asked`);
  assert.equal(sessionDescription(s, true), `${time} · alpha · 0 calls · 0 denied · 0 asked`);
});
