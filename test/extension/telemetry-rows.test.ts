import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TelemetryStore, telemetryEventFromAudit } from '../../src/core/telemetry';
import { NO_REASON, queryPage, recordContext, toEventRow, toRecentFilter, uncertainty, UNCERTAIN_WINDOW, type DeniedNow } from '../../src/extension/telemetryRows';
import { agentCommandLine, customAgentName } from '../../src/extension/agentCommand';
import { shellQuote } from '../../src/core/shell/quote';
import { DEFAULT_QUERY } from '../../webview/protocol';
import type { AuditEvent } from '../../src/core/types';

function audit(id: string, command: string, action: AuditEvent['decision']['action']): AuditEvent {
  return {
    schema_version: 'rampart-learn.audit.v1', id, timestamp: `2026-01-01T00:00:0${id}Z`, agent: 'scripted', session: 'S1', tool: 'exec',
    request: { command }, decision: { action, policy: null, rule: null, message: '', eval_us: 1, enforced: true, mode: 'enforce' },
    prev_hash: '', hash: '',
  };
}

test('store records become Reviewer rows, filtered the way the Reviewer asks', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-ext-'));
  const store = await TelemetryStore.open(join(dir, 't.sqlite'), { sync: 'none' });
  try {
    await store.insertMany([audit('1', 'git status', 'allow'), audit('2', 'rm -rf /', 'deny'), audit('3', 'curl x | sh', 'ask')].map((e) => telemetryEventFromAudit(e)));
    await store.labelEvent('2', 1, { who: 't', why: 'destroys the disk' });
    const rows = store.queryRecent(10, toRecentFilter(DEFAULT_QUERY)).map((r) => toEventRow(r));
    assert.deepEqual(rows.map((r) => [r.target, r.decision, r.label, r.agent, r.session]), [
      ['curl x | sh', 'ask', null, 'scripted', 'S1'],
      ['rm -rf /', 'deny', 'unsafe', 'scripted', 'S1'],
      ['git status', 'allow', null, 'scripted', 'S1'],
    ]);
    assert.equal(rows[1].safetyScore, 100);
    const denied = store.queryRecent(10, toRecentFilter({ ...DEFAULT_QUERY, decision: 'deny' }));
    assert.deepEqual(denied.map((r) => r.command), ['rm -rf /']);
    const unlabelled = store.queryRecent(10, toRecentFilter({ ...DEFAULT_QUERY, label: 'unlabelled', search: 'GIT' }));
    assert.deepEqual(unlabelled.map((r) => r.command), ['git status']);
    // The search box also finds the agent (and the tool).
    assert.equal(store.queryRecent(10, toRecentFilter({ ...DEFAULT_QUERY, search: 'SCRIPTED' })).length, 3);
    const predicted = toEventRow(store.queryRecent(1, {})[0], (c) => ({ prediction: 'unsafe', confidence: 0.9, p_unsafe: c.includes('sh') ? 0.9 : 0.1 }));
    assert.deepEqual(predicted.prediction, { label: 'unsafe', confidence: 0.9, pUnsafe: 0.9 });
    // The reason given with the latest label comes back with the row; a label given without one shows none.
    assert.equal(rows[1]!.reason, 'destroys the disk');
    await store.labelEvent('1', 0, { who: 't', why: NO_REASON });
    assert.equal(toEventRow(store.getEvent('1')!).reason, undefined);
    await store.labelEvent('2', 2, { who: 't', why: 'only a test VM' });
    assert.equal(toEventRow(store.getEvent('2')!).reason, 'only a test VM');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a row carries the exact command (Deny… and labels act on it); only the webview spells control characters out', () => {
  const command = 'echo "\x1b[31mred\x1b[0m"';
  const row = toEventRow({ id: 'x', ts: '', event_type: 'command', tab_id: null, batch_id: null, tool: 'exec', command, exit_code: null, stdout: null, stderr: null, safety_score: 0, safety_label: null, metadata: null, effective_label: null, review_why: null });
  assert.equal(row.target, command);
});

test('uncertainty puts predictions near the threshold first and labelled rows last', () => {
  const base = toEventRow({ id: 'x', ts: '', event_type: 'command', tab_id: null, batch_id: null, tool: 'exec', command: 'ls', exit_code: null, stdout: null, stderr: null, safety_score: 50, safety_label: null, metadata: '{not json', effective_label: null, review_why: null });
  assert.equal(base.agent, ''); // corrupt metadata does not throw
  const near = { ...base, prediction: { label: 'unsafe' as const, confidence: 0.52, pUnsafe: 0.52 } };
  const far = { ...base, prediction: { label: 'safe' as const, confidence: 0.99, pUnsafe: 0.01 } };
  const labelled = { ...near, label: 'safe' as const };
  const sorted = [labelled, far, base, near].sort((a, b) => uncertainty(a, 0.5) - uncertainty(b, 0.5));
  assert.deepEqual(sorted, [near, far, base, labelled]);
});

test('recordContext gives the cwd and session a deny rule is routed by', () => {
  const event = { ...audit('4', 'rm -rf build', 'deny'), cwd: '/w/app' };
  const input = telemetryEventFromAudit(event);
  const record = { ...input, metadata: JSON.stringify(input.metadata), effective_label: null, review_why: null } as Parameters<typeof recordContext>[0];
  assert.deepEqual(recordContext(record), { cwd: '/w/app', session: 'S1' });
  assert.deepEqual(recordContext({ ...record, metadata: '{not json', batch_id: null }), {}, 'nothing known: the user picks the folder');
});

test('a custom agent is named after its program, or the script or package a runner starts', () => {
  assert.equal(customAgentName('claude --model opus'), 'claude');
  assert.equal(customAgentName('bash /home/me/agents/fixer.sh --fast'), 'fixer.sh');
  assert.equal(customAgentName('node --inspect ./tools/agent.js'), 'agent.js');
  assert.equal(customAgentName('FOO=1 npx @openai/codex'), 'codex');
  assert.equal(customAgentName('/opt/bin/goose run'), 'goose');
  assert.equal(customAgentName('bash'), 'bash', 'a runner alone is itself');
});

test('agent command lines quote the prompt as one POSIX argument', () => {
  assert.equal(agentCommandLine({ name: 'c', command: 'claude' }, ''), 'claude');
  assert.equal(agentCommandLine({ name: 'c', command: 'claude' }, "fix Bob's bug; rm -rf /"), `claude 'fix Bob'\\''s bug; rm -rf /'`);
  assert.equal(agentCommandLine({ name: 'a', command: 'aider', promptArg: '--message' }, 'add $HOME `x`'), "aider --message 'add $HOME `x`'");
  assert.equal(shellQuote(''), "''");
  for (const prompt of ["it's", 'a "b" $(c) `d` \\ e', 'line1\nline2', 'ünïcødé ✓']) {
    assert.equal(execFileSync('/bin/sh', ['-c', `printf %s ${shellQuote(prompt)}`], { encoding: 'utf8' }), prompt);
  }
});

test('a Learn-mode (monitor) call is marked not enforced; an enforced one is not marked', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-ext-'));
  const store = await TelemetryStore.open(join(dir, 't.sqlite'), { sync: 'none' });
  try {
    const learned = audit('1', 'rm -rf ./build', 'deny');
    const monitor = { ...learned, decision: { ...learned.decision, enforced: false, mode: 'monitor' as const } };
    await store.insertMany([monitor, audit('2', 'rm -rf ./dist', 'deny')].map((e) => telemetryEventFromAudit(e)));
    const rows = store.queryRecent(10, {}).map((r) => toEventRow(r));
    assert.deepEqual(rows.map((r) => [r.target, r.enforced]), [['rm -rf ./dist', undefined], ['rm -rf ./build', false]]);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an ask's outcome reaches its Reviewer row: approved, or refused (also without an approver)", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-ext-'));
  const store = await TelemetryStore.open(join(dir, 't.sqlite'), { sync: 'none' });
  try {
    const asked = (id: string, approval?: AuditEvent['decision']['approval']) => {
      const e = audit(id, `sudo ${id}`, 'ask');
      return { ...e, decision: { ...e.decision, ...(approval && { approval }) } };
    };
    await store.insertMany([asked('1', 'approved'), asked('2', 'refused'), asked('3', 'none'), asked('4')].map((e) => telemetryEventFromAudit(e)));
    const rows = store.queryRecent(10, {}).map((r) => toEventRow(r));
    assert.deepEqual(rows.map((r) => [r.target, r.decision, r.approval]), [
      ['sudo 4', 'ask', undefined],
      ['sudo 3', 'ask', 'refused'],
      ['sudo 2', 'ask', 'refused'],
      ['sudo 1', 'ask', 'approved'],
    ]);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the uncertain sort pages through its window, and the page says how many calls match in all', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-ext-'));
  const store = await TelemetryStore.open(join(dir, 't.sqlite'), { sync: 'none' });
  try {
    const n = UNCERTAIN_WINDOW + 50;
    await store.insertMany(Array.from({ length: n }, (_, i) => telemetryEventFromAudit({ ...audit('1', `echo ${i}`, 'allow'), id: `E${String(i).padStart(6, '0')}` })));
    const uncertain = queryPage(store, { ...DEFAULT_QUERY, sort: 'uncertain' }, undefined, 0.5);
    assert.deepEqual([uncertain.rows.length, uncertain.total, uncertain.matched], [100, UNCERTAIN_WINDOW, n]);
    const recent = queryPage(store, DEFAULT_QUERY, undefined, 0.5);
    assert.deepEqual([recent.total, recent.matched], [n, n]);
    const searched = queryPage(store, { ...DEFAULT_QUERY, sort: 'uncertain', search: 'echo 1' }, undefined, 0.5);
    assert.equal(searched.total, searched.matched, 'fewer matches than the window: nothing left out');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a page asks whether the policy denies a row now only for its rows that would offer Deny…, with their cwd and session', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-ext-'));
  const store = await TelemetryStore.open(join(dir, 't.sqlite'), { sync: 'none' });
  try {
    const rows = await store.insertMany(['git push --force', 'ls', 'rm -rf build'].map((c, i) => telemetryEventFromAudit({ ...audit(String(i), c, 'allow'), cwd: '/w/app' })));
    for (const r of rows.filter((x) => x.command !== 'ls')) await store.labelEvent(r.id, 1, { who: 't', why: 'unsafe' });
    const asked: string[] = [];
    const denied: DeniedNow = (command, context) => {
      asked.push(`${command} @ ${context.cwd}`);
      return command === 'git push --force';
    };
    for (const sort of ['recent', 'uncertain'] as const) {
      asked.splice(0);
      const page = queryPage(store, { ...DEFAULT_QUERY, sort }, undefined, 0.5, denied);
      assert.deepEqual(page.rows.filter((r) => r.deniedNow).map((r) => r.target), ['git push --force'], sort);
      assert.deepEqual(asked.sort(), ['git push --force @ /w/app', 'rm -rf build @ /w/app'], `${sort}: ls is labelled nothing, so it is not asked about`);
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
