import { endExecution, startExecution, terminals, Uri, window as stubWindow } from './vscode-stub';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { gateRequest } from '../../src/core/gate';
import { SessionManager, shimFailBehaviour, type AgentSession } from '../../src/extension/sessions';
import { countsSummary, emptyCounts } from '../../src/extension/sessionTypes';
import { allEvents, run, SHIM, tempDir, TEST_POLICY, writePolicy } from '../gate/helpers';

const log = { info: () => {}, warn: () => {}, error: () => {} } as unknown as vscode.LogOutputChannel;

test('agent terminals share one window gate, each with its own session, mode and fail behaviour', async (t) => {
  const dir = tempDir('rl-ext-sessions-');
  const policyFile = writePolicy(dir);
  const manager = new SessionManager(join(dir, 'audit'), log);
  t.after(() => manager.dispose());
  const folder = { uri: Uri.file(dir), name: 'w', index: 0 } as unknown as vscode.WorkspaceFolder;
  const ended: AgentSession[] = [];
  let firstEnd!: () => void;
  const oneEnded = new Promise<void>((res) => (firstEnd = res));
  manager.onDidEnd((s) => {
    ended.push(s);
    firstEnd();
  });
  const start = (agent: string, mode: 'learn' | 'enforce') =>
    manager.start({ folder, agent, commandLine: `${agent} --go`, mode, policyFile, failBehaviour: 'open', approver: async () => false });
  const learner = await start('learner', 'learn');
  const enforcer = await start('enforcer', 'enforce');

  const [learnTerm, enforceTerm] = terminals.slice(-2);
  const [learnEnv, enforceEnv] = [learnTerm.options.env!, enforceTerm.options.env!];
  assert.equal(learnEnv.RAMPART_GATE, enforceEnv.RAMPART_GATE, 'one gate for the window');
  assert.equal(learnEnv.RAMPART_TOKEN_FILE, enforceEnv.RAMPART_TOKEN_FILE);
  assert.deepEqual([learnEnv.RAMPART_SESSION, enforceEnv.RAMPART_SESSION], [learner.id, enforcer.id]);
  assert.deepEqual([learnEnv.RAMPART_MODE, enforceEnv.RAMPART_MODE], ['monitor', 'enforce']);
  assert.deepEqual([learnEnv.RAMPART_GATE_FAIL, enforceEnv.RAMPART_GATE_FAIL], [undefined, 'open'], 'the setting applies to Enforce terminals');
  assert.deepEqual(enforceTerm.sent, ['enforcer --go']);
  assert.ok(enforceTerm.shown);

  // Real bash through each terminal's shim: the denied command runs only in the Learn terminal.
  for (const who of ['learn', 'enforce']) mkdirSync(join(dir, who));
  const [a, b] = await Promise.all([
    run(SHIM, ['-c', `rm -rf ${join(dir, 'learn')}`], { ...process.env, ...learnEnv }),
    run(SHIM, ['-c', `rm -rf ${join(dir, 'enforce')}`], { ...process.env, ...enforceEnv }),
  ]);
  assert.deepEqual([a.code, b.code], [0, 126]);
  assert.equal(existsSync(join(dir, 'learn')), false);
  assert.equal(existsSync(join(dir, 'enforce')), true);
  const oneDenied = { ...emptyCounts(), calls: 1, denied: 1 };
  assert.deepEqual([learner.counts, enforcer.counts], [oneDenied, oneDenied]);
  assert.deepEqual((await allEvents(learner.auditDir)).map((e) => [e.agent, e.session]), [['learner', learner.id]]);
  assert.deepEqual((await allEvents(enforcer.auditDir)).map((e) => [e.agent, e.session]), [['enforcer', enforcer.id]]);

  // Closing one terminal stops only its session.
  manager.stop(learner);
  await oneEnded;
  assert.deepEqual(ended.map((s) => s.id), [learner.id]);
  assert.deepEqual(manager.running().map((s) => s.id), [enforcer.id]);
  const call = JSON.stringify({ tool: 'exec', params: { command: 'ls' } });
  const gone = await gateRequest(learnEnv.RAMPART_GATE, learnEnv.RAMPART_TOKEN_FILE, 'POST', '/v1/check', call, { session: learner.id });
  assert.equal(gone.status, 410);
  const alive = await gateRequest(enforceEnv.RAMPART_GATE, enforceEnv.RAMPART_TOKEN_FILE, 'POST', '/v1/check', call, { session: enforcer.id });
  assert.equal(alive.status, 200);
});

test('the fail behaviour setting reaches Enforce sessions only', () => {
  assert.equal(shimFailBehaviour('enforce', 'closed'), 'closed');
  assert.equal(shimFailBehaviour('enforce', 'open'), 'open');
  assert.equal(shimFailBehaviour('learn', 'closed'), undefined, 'Learn keeps the shim default: run with a warning');
});

/** A manager with one folder on the test policy, ended sessions collected. */
function setUp(t: { after(fn: () => unknown): void }, prefix: string) {
  const dir = tempDir(prefix);
  const policyFile = writePolicy(dir);
  const manager = new SessionManager(join(dir, 'audit'), log);
  t.after(() => manager.dispose());
  const folder = { uri: Uri.file(dir), name: 'w', index: 0 } as unknown as vscode.WorkspaceFolder;
  const ended: AgentSession[] = [];
  manager.onDidEnd((s) => ended.push(s));
  const start = (agent: string, approver = async () => false) =>
    manager.start({ folder, agent, commandLine: `${agent} --go`, mode: 'enforce', policyFile, failBehaviour: 'closed', approver });
  return { dir, policyFile, manager, ended, start };
}

test('a shell whose integration starts after the command was typed: the command is still seen to end, and ends its session', async (t) => {
  const { manager, ended, start } = setUp(t, 'rl-ext-late-');
  stubWindow.withoutShellIntegration = true;
  t.after(() => void (stubWindow.withoutShellIntegration = false));
  const s = await start('slow');
  stubWindow.withoutShellIntegration = false;
  const other = await start('other');
  const term = terminals.find((x) => x.options.name.includes('slow'))!;
  // Without integration the command is typed once the wait for it is over.
  await waitUntil(() => term.sent.length > 0, 10_000);
  assert.deepEqual(term.sent, ['slow --go']);
  // Another terminal's command is not this session's.
  const elsewhere = { commandLine: 'ls' };
  startExecution(terminals.find((x) => x.options.name.includes('other'))!, elsewhere);
  const typed = { commandLine: 'slow --go' };
  startExecution(term, typed);
  endExecution(term, typed, 0);
  assert.deepEqual(ended.map((x) => x.id), [s.id], 'ended when the typed command exits');
  assert.deepEqual(manager.running().map((x) => x.id), [other.id]);
});

test("the agent's exit ends its session; its terminal stays gated until it closes", async (t) => {
  const { manager, ended, start } = setUp(t, 'rl-ext-exit-');
  const s = await start('quick');
  const term = terminals.at(-1)!;
  assert.deepEqual(term.sent, ['quick --go'], 'run through shell integration');
  assert.deepEqual(manager.running().map((x) => x.id), [s.id]);

  endExecution(term, term.executions[0], 3);
  assert.deepEqual(ended.map((x) => x.id), [s.id], 'ended when the command exits, with its terminal still open');
  assert.equal(s.exitCode, 3);
  assert.deepEqual(manager.running(), []);
  assert.equal(manager.terminalOpen(s), true);

  // A command typed into the terminal afterwards is still checked under the session.
  const env = term.options.env!;
  const late = await run(SHIM, ['-c', 'rm -rf ./nothing'], { ...process.env, ...env });
  assert.equal(late.code, 126);
  assert.equal(s.counts.calls, 1);

  term.dispose();
  await waitUntil(() => !manager.terminalOpen(s));
  assert.equal(ended.length, 1, 'closing the terminal does not end it twice');
  const gone = await gateRequest(env.RAMPART_GATE, env.RAMPART_TOKEN_FILE, 'POST', '/v1/check', JSON.stringify({ tool: 'exec', params: { command: 'ls' } }), { session: s.id });
  assert.equal(gone.status, 410);
});

test('approved and refused asks are counted apart; a refused ask counts as denied', async (t) => {
  const { start } = setUp(t, 'rl-ext-asks-');
  const asker = await start('asker', async () => true);
  const askerEnv = terminals.at(-1)!.options.env!;
  const refuser = await start('refuser', async () => false);
  const refuserEnv = terminals.at(-1)!.options.env!;
  const [a, b, c] = await Promise.all([
    run(SHIM, ['-c', 'sudo true'], { ...process.env, ...askerEnv }),
    run(SHIM, ['-c', 'sudo true'], { ...process.env, ...refuserEnv }),
    run(SHIM, ['-c', 'rm -rf ./nothing'], { ...process.env, ...refuserEnv }),
  ]);
  assert.notEqual(a.code, 126, 'the approved ask ran');
  assert.deepEqual([b.code, c.code], [126, 126]);
  assert.deepEqual(asker.counts, { ...emptyCounts(), calls: 1, asked: 1, approved: 1 });
  assert.deepEqual(refuser.counts, { ...emptyCounts(), calls: 2, denied: 2, asked: 1, refused: 1 });
  assert.equal(countsSummary(refuser.counts), '2 calls · 2 denied · 1 asked (0 approved)');
  // The audit log keeps the outcome, for the Reviewer and for later analysis.
  const outcomes = (await allEvents(refuser.auditDir)).map((e) => `${e.decision.action} ${e.decision.approval ?? '-'}`).sort();
  assert.deepEqual(outcomes, ['ask refused', 'deny -']);
  assert.deepEqual((await allEvents(asker.auditDir)).map((e) => e.decision.approval), ['approved']);
});

test('a broken policy saved while agents run is reported once, however many sessions use it', async (t) => {
  const { policyFile, manager, start } = setUp(t, 'rl-ext-reject-');
  const rejected: string[] = [];
  manager.onPolicyRejected(({ policyFile: f, error }) => rejected.push(`${f}: ${error.name}`));
  await start('one');
  await start('two');
  writeFileSync(policyFile, `${TEST_POLICY}\n  - nme: typo\n`);
  await waitUntil(() => rejected.length > 0);
  await new Promise((r) => setTimeout(r, 300)); // both sessions' watchers have fired by now
  assert.deepEqual(rejected, [`${policyFile}: PolicyError`]);
});

async function waitUntil(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
