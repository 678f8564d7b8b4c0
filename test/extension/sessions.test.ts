import { terminals, Uri } from './vscode-stub';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { gateRequest } from '../../src/core/gate';
import { SessionManager, shimFailBehaviour, type AgentSession } from '../../src/extension/sessions';
import { allEvents, run, SHIM, tempDir, writePolicy } from '../gate/helpers';

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
  assert.deepEqual([learner.counts, enforcer.counts], [{ calls: 1, denied: 1, asked: 0, watched: 0 }, { calls: 1, denied: 1, asked: 0, watched: 0 }]);
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
