import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { checkWithGate, gateRequest } from '../../src/core/gate';
import { readAuditRecords, verifyAudit } from '../../src/core/audit';
import type { AuditEvent } from '../../src/core/types';
import { allEvents, testGate, TEST_POLICY, writePolicy } from './helpers';

const exec = (command: string) => ({ tool: 'exec', params: { command }, cwd: '/w' });

test('decisions are evaluated, recorded, announced and answered', async (t) => {
  const { gate, auditDir } = await testGate();
  t.after(() => gate.close());
  const seen: AuditEvent[] = [];
  gate.onEvent((e) => {
    // Listeners run after the append: the event is already on disk.
    assert.ok(readFileSync(join(auditDir, 'audit.jsonl'), 'utf8').includes(e.hash));
    seen.push(e);
  });
  const allow = await checkWithGate(gate.address, gate.tokenFile, exec('git status'));
  const deny = await checkWithGate(gate.address, gate.tokenFile, exec('rm -rf /'));
  const ask = await checkWithGate(gate.address, gate.tokenFile, exec('sudo reboot'));
  const watch = await checkWithGate(gate.address, gate.tokenFile, exec('curl https://x.org'));
  assert.deepEqual([allow.action, deny.action, ask.action, watch.action], ['allow', 'deny', 'ask', 'watch']);
  assert.deepEqual([allow.run, deny.run, ask.run, watch.run], [true, false, false, true]);
  assert.equal(deny.policy, 'no-destructive-rm');
  assert.match(ask.message, /no approver attached/);
  assert.deepEqual(gate.stats, { evaluated: 4, allowed: 1, denied: 1, asked: 1, watched: 1 });
  const events = await allEvents(auditDir);
  assert.deepEqual(events.map((e) => e.request.command), ['git status', 'rm -rf /', 'sudo reboot', 'curl https://x.org']);
  assert.deepEqual(seen.map((e) => e.id), events.map((e) => e.id));
  assert.equal(events[1].decision.enforced, true);
  assert.equal(events[1].decision.mode, 'enforce');
  assert.equal(events[0].agent, 'test');
  assert.equal(events[0].cwd, '/w');
  assert.equal(events[0].session, gate.sessionId);
});

test('monitor mode records the real decision but lets everything run', async (t) => {
  const { gate, auditDir } = await testGate({ mode: 'monitor' });
  t.after(() => gate.close());
  const deny = await checkWithGate(gate.address, gate.tokenFile, exec('rm -rf /'));
  assert.equal(deny.action, 'deny');
  assert.equal(deny.run, true);
  const [e] = await allEvents(auditDir);
  assert.equal(e.decision.action, 'deny');
  assert.equal(e.decision.enforced, false);
  assert.equal(e.decision.mode, 'monitor');
});

test('a missing or wrong token gets 401 and nothing is recorded', async (t) => {
  const { gate, auditDir, dir } = await testGate();
  t.after(() => gate.close());
  const wrong = join(dir, 'wrong-token');
  writeFileSync(wrong, 'f'.repeat(64));
  const res = await gateRequest(gate.address, wrong, 'POST', '/v1/check', JSON.stringify(exec('ls')));
  assert.equal(res.status, 401);
  const port = Number(gate.address.split(':')[1]);
  const status = await new Promise<number>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/shell' }, (r) => {
      r.resume();
      resolve(r.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end('/\0ls');
  });
  assert.equal(status, 401);
  assert.equal((await allEvents(auditDir)).length, 0);
  assert.equal(gate.stats.evaluated, 0);
});

test('an oversized body gets 413; a 1 MB command is accepted', async (t) => {
  const { gate, auditDir } = await testGate({ maxBodyBytes: 2 * 1024 * 1024 });
  t.after(() => gate.close());
  const big = `echo ${'y'.repeat(1024 * 1024)}`;
  const ok = await gateRequest(gate.address, gate.tokenFile, 'POST', '/v1/shell', Buffer.from(`/tmp\0${big}`));
  assert.equal(ok.status, 200);
  assert.match(ok.body, /^RAMPART-VERDICT run /);
  const tooBig = await gateRequest(gate.address, gate.tokenFile, 'POST', '/v1/shell', Buffer.alloc(3 * 1024 * 1024, 0x61));
  assert.equal(tooBig.status, 413);
  const events = await allEvents(auditDir);
  assert.equal(events.length, 1);
  assert.equal(events[0].request.command, big);
});

test('bad requests are refused with a reason', async (t) => {
  const { gate } = await testGate();
  t.after(() => gate.close());
  assert.equal((await gateRequest(gate.address, gate.tokenFile, 'POST', '/v1/check', '{"tool":')).status, 400);
  assert.equal((await gateRequest(gate.address, gate.tokenFile, 'POST', '/v1/check', '{"params":{}}')).status, 400);
  // A subject of the wrong type, or none, must not pass for a harmless call decided by default_action.
  for (const [body, reason] of [
    ['{"tool":"read","params":{"path":["/etc/shadow"]}}', '"params.path" must be a string'],
    ['{"tool":"exec","params":{"command":5}}', '"params.command" must be a string'],
    ['{"tool":"exec","params":{}}', 'exec calls need a "params.command" string'],
  ]) {
    const res = await gateRequest(gate.address, gate.tokenFile, 'POST', '/v1/check', body);
    assert.equal(res.status, 400, body);
    assert.match(res.body, new RegExp(reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), body);
  }
  assert.equal((await gateRequest(gate.address, gate.tokenFile, 'GET', '/v1/nothing')).status, 404);
  const status = await gateRequest(gate.address, gate.tokenFile, 'GET', '/v1/status');
  assert.equal(JSON.parse(status.body).mode, 'enforce');
});

test('ask in enforce mode goes to the approver', async (t) => {
  const answers = [true, false];
  const asked: string[] = [];
  const { gate, auditDir } = await testGate({
    approver: async ({ call, decision }) => {
      asked.push(`${call.params.command} / ${decision.message}`);
      return answers.shift() ?? false;
    },
  });
  t.after(() => gate.close());
  const first = await checkWithGate(gate.address, gate.tokenFile, exec('sudo ls'));
  const second = await checkWithGate(gate.address, gate.tokenFile, exec('sudo rm x'));
  assert.equal(first.run, true);
  assert.equal(second.run, false);
  assert.deepEqual(asked, ['sudo ls / sudo needs approval', 'sudo rm x / sudo needs approval']);
  const events = await allEvents(auditDir);
  assert.match(events[0].decision.message, /\(approved\)/);
  assert.match(events[1].decision.message, /\(not approved\)/);
});

test('an approver that never answers is refused after the approval timeout', async (t) => {
  const { gate } = await testGate({ approver: () => new Promise(() => {}), approvalTimeoutMs: 100 });
  t.after(() => gate.close());
  const v = await checkWithGate(gate.address, gate.tokenFile, exec('sudo ls'));
  assert.equal(v.run, false);
});

test('an ask whose asker has gone is withdrawn: recorded as unanswered, never as approved', async (t) => {
  let questionPut: () => void = () => {};
  const asked = new Promise<void>((res) => (questionPut = res));
  let askedSignal: AbortSignal | undefined;
  let answer: (v: boolean) => void = () => {};
  const { gate, auditDir } = await testGate({
    approver: ({ signal }) => {
      askedSignal = signal;
      questionPut();
      return new Promise<boolean>((res) => (answer = res));
    },
  });
  t.after(() => gate.close());
  const [port] = gate.address.split(':').slice(1);
  const token = readFileSync(gate.tokenFile, 'utf8').trim();
  // The shim's request, dropped while the human is being asked (the agent killed its shell).
  const req = request({ host: '127.0.0.1', port: Number(port), method: 'POST', path: '/v1/shell', headers: { Authorization: `Bearer ${token}` } });
  req.on('error', () => {});
  req.end(`/tmp\0sudo ls`);
  await asked;
  req.destroy();
  await new Promise((res) => setTimeout(res, 200));
  assert.equal(askedSignal?.aborted, true, 'the approver was told the question is withdrawn');
  answer(true); // a late yes changes nothing
  await new Promise((res) => setTimeout(res, 50));
  const [event] = await allEvents(auditDir);
  assert.equal(event.decision.approval, 'none');
  assert.match(event.decision.message, /withdrawn: the shell that asked has exited/);
});

test('a call whose asker hung up before the gate could answer is recorded as not delivered', async (t) => {
  const { gate, auditDir } = await testGate();
  t.after(() => gate.close());
  const [port] = gate.address.split(':').slice(1);
  const token = readFileSync(gate.tokenFile, 'utf8').trim();
  const body = JSON.stringify(exec('rm -rf /'));
  const http = `POST /v1/check HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  const recorded = new Promise<AuditEvent>((res) => gate.onEvent(res));
  // The client sends its request and hangs up while this process, the gate's, is blocked: the gate reads
  // the request and the end of the connection together, as after a SIGSTOP.
  spawnSync(process.execPath, ['-e', `const s = require('net').connect(${port}, '127.0.0.1', () => s.end(${JSON.stringify(http)}, () => process.exit()))`]);
  const event = await recorded;
  assert.equal(event.decision.action, 'deny');
  assert.equal(event.decision.message, 'destructive rm is not allowed (not delivered: the shell that asked had already given up waiting)');
  // A client that waits for its answer gets it, recorded as decided.
  const answered = await checkWithGate(gate.address, gate.tokenFile, exec('rm -rf /'));
  assert.equal(answered.message, 'destructive rm is not allowed');
  assert.equal((await verifyAudit(auditDir)).ok, true);
});

test('the policy reloads on change and keeps the last good one on errors', async (t) => {
  const { gate, dir } = await testGate();
  t.after(() => gate.close());
  const file = join(dir, 'rampart.yaml');
  const reloaded = () => new Promise<void>((resolve) => { const off = gate.onPolicyReload(() => { off(); resolve(); }); });
  const failed = () => new Promise<Error>((resolve) => { const off = gate.onPolicyError((e) => { off(); resolve(e); }); });

  let next = reloaded();
  writePolicy(dir, TEST_POLICY.replace('rm -rf *', 'git push *'));
  await next;
  assert.equal((await gate.decide(exec('git push origin'))).event.decision.action, 'deny');
  assert.equal((await gate.decide(exec('rm -rf /'))).event.decision.action, 'allow');

  const err = failed();
  writeFileSync(file, 'version: "1"\npolicies:\n  - name: x\n    rules: [ {action: explode} ]\n');
  const e = await err;
  assert.match(e.message, /rampart\.yaml:\d+:\d+/);
  // still the last good policy
  assert.equal((await gate.decide(exec('git push origin'))).event.decision.action, 'deny');

  next = reloaded();
  writePolicy(dir);
  await next;
  assert.equal((await gate.decide(exec('rm -rf /'))).event.decision.action, 'deny');
});

test('completion reports are chained after their event; unknown ids are refused', async (t) => {
  const { gate, auditDir } = await testGate();
  t.after(() => gate.close());
  const done: string[] = [];
  gate.onCompletion((c) => done.push(c.ref));
  const v = await checkWithGate(gate.address, gate.tokenFile, exec('make'));
  const res = await gateRequest(gate.address, gate.tokenFile, 'POST', '/v1/complete', JSON.stringify({ id: v.id, exit_code: 2, duration_ms: 1234 }));
  assert.equal(res.status, 200);
  assert.deepEqual(done, [v.id]);
  const again = await gateRequest(gate.address, gate.tokenFile, 'POST', '/v1/complete', JSON.stringify({ id: v.id, exit_code: 0 }));
  assert.equal(again.status, 404);
  const records = [];
  for await (const r of readAuditRecords(auditDir)) records.push(r.record);
  assert.equal(records.length, 2);
  assert.deepEqual((records[1] as { response: unknown }).response, { exit_code: 2, duration_ms: 1234 });
  assert.equal((await verifyAudit(auditDir)).ok, true);
});

test('the token lives only in a private file, never in the session env', async (t) => {
  const { gate } = await testGate();
  t.after(() => gate.close());
  const token = readFileSync(gate.tokenFile, 'utf8').trim();
  assert.match(token, /^[0-9a-f]{64}$/);
  assert.equal(statSync(gate.tokenFile).mode & 0o777, 0o600);
  assert.equal(statSync(join(gate.tokenFile, '..')).mode & 0o777, 0o700);
  const env = gate.sessionEnv();
  assert.ok(!Object.values(env).some((v) => v.includes(token)));
  assert.equal(env.RAMPART_TOKEN_FILE, gate.tokenFile);
  assert.equal(env.RAMPART_GATE, gate.address);
  assert.equal(env.RAMPART_MODE, 'enforce');
  assert.equal(env.RAMPART_SESSION, gate.sessionId);
  assert.match(env.SHELL, /shim\/rampart-shell$/);
  assert.equal(env.CLAUDE_CODE_SHELL, env.SHELL);
  assert.match(env.PATH, /shim\/bin:/);
  await gate.close();
  assert.throws(() => readFileSync(gate.tokenFile), /ENOENT/);
});

test('the gate can listen on a Unix socket', async (t) => {
  const { dir } = await testGate().then(async (g) => (await g.gate.close(), g));
  const { gate } = await testGate({ listen: { socket: join(dir, 'gate.sock') } });
  t.after(() => gate.close());
  assert.match(gate.address, /^unix:.*gate\.sock$/);
  const v = await checkWithGate(gate.address, gate.tokenFile, exec('ls'));
  assert.equal(v.action, 'allow');
});
