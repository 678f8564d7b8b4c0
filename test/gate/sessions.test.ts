import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkWithGate, gateRequest } from '../../src/core/gate';
import { verifyAudit } from '../../src/core/audit';
import { allEvents, run, SHIM, testServer } from './helpers';

const exec = (command: string) => ({ tool: 'exec', params: { command } });

test('one gate, two sessions at once: each has its own mode, counts and audit log (real bash through the shim)', async (t) => {
  const { server, dir, policy } = await testServer();
  t.after(() => server.close());
  const learn = server.openSession({ policy, mode: 'monitor', auditDir: join(dir, 'audit-learn'), agent: 'learner' });
  const enforce = server.openSession({ policy, mode: 'enforce', auditDir: join(dir, 'audit-enforce'), agent: 'enforcer' });
  assert.notEqual(learn.id, enforce.id);
  // Same address and token for both: the session id is what tells them apart.
  const [learnEnv, enforceEnv] = [learn.sessionEnv(), enforce.sessionEnv()];
  assert.equal(learnEnv.RAMPART_GATE, enforceEnv.RAMPART_GATE);
  assert.equal(learnEnv.RAMPART_TOKEN_FILE, enforceEnv.RAMPART_TOKEN_FILE);
  assert.deepEqual([learnEnv.RAMPART_SESSION, enforceEnv.RAMPART_SESSION], [learn.id, enforce.id]);

  // Both sessions run the same script concurrently; `rm -rf` is denied by the policy.
  const script = (who: string) => [`echo ${who}-1`, `echo ${who}-2`, `rm -rf ${join(dir, who)}`, `echo ${who}-3`];
  for (const who of ['learn', 'enforce']) mkdirSync(join(dir, who));
  const runAll = async (who: string, env: Record<string, string>) => {
    const results = [];
    for (const cmd of script(who)) results.push(await run(SHIM, ['-c', cmd], { ...process.env, ...env }));
    return results;
  };
  const [learnRuns, enforceRuns] = await Promise.all([runAll('learn', learnEnv), runAll('enforce', enforceEnv)]);

  assert.deepEqual(learnRuns.map((r) => r.code), [0, 0, 0, 0], 'learn (monitor) lets the denied command run');
  assert.equal(existsSync(join(dir, 'learn')), false);
  assert.deepEqual(enforceRuns.map((r) => r.code), [0, 0, 126, 0], 'enforce blocks it');
  assert.equal(enforceRuns[2].stderr, 'rampart: blocked — destructive rm is not allowed\n');
  assert.equal(existsSync(join(dir, 'enforce')), true);

  const learnEvents = await allEvents(learn.auditDir);
  const enforceEvents = await allEvents(enforce.auditDir);
  assert.deepEqual(learnEvents.map((e) => e.request.command), script('learn'));
  assert.deepEqual(enforceEvents.map((e) => e.request.command), script('enforce'));
  assert.ok(learnEvents.every((e) => e.session === learn.id && e.agent === 'learner' && e.decision.mode === 'monitor'));
  assert.ok(enforceEvents.every((e) => e.session === enforce.id && e.agent === 'enforcer' && e.decision.mode === 'enforce'));
  assert.deepEqual(learn.stats, { evaluated: 4, allowed: 3, denied: 1, asked: 0, watched: 0 });
  assert.deepEqual(enforce.stats, { evaluated: 4, allowed: 3, denied: 1, asked: 0, watched: 0 });
  assert.equal((await verifyAudit(learn.auditDir)).ok, true);
  assert.equal((await verifyAudit(enforce.auditDir)).ok, true);
});

test('a request naming an unknown session, or none, gets a clear 4xx and nothing is recorded', async (t) => {
  const { server, dir, policy } = await testServer();
  t.after(() => server.close());
  const s = server.openSession({ policy, mode: 'enforce', auditDir: join(dir, 'audit') });
  const unknown = await gateRequest(server.address, server.tokenFile, 'POST', '/v1/check', JSON.stringify(exec('ls')), { session: 'NOPE' });
  assert.equal(unknown.status, 404);
  assert.match(unknown.body, /^unknown session "NOPE": this gate serves 1 other session\n$/);
  const none = await gateRequest(server.address, server.tokenFile, 'POST', '/v1/check', JSON.stringify(exec('ls')));
  assert.equal(none.status, 400);
  assert.match(none.body, /no session named: send the X-Rampart-Session header/);

  // Through the shim: enforce mode blocks and says why.
  const marker = join(dir, 'ran');
  const r = await run(SHIM, ['-c', `touch ${marker}`], { ...process.env, ...s.sessionEnv(), RAMPART_SESSION: 'NOPE' });
  assert.equal(r.code, 126);
  assert.match(r.stderr, /refused the request \(HTTP\/1\.1 404 Not Found\): unknown session "NOPE".*enforce mode fails closed\n$/);
  assert.equal(existsSync(marker), false);
  assert.equal((await allEvents(s.auditDir)).length, 0);
  assert.equal(s.stats.evaluated, 0);

  // The status endpoint without a session lists them all.
  const status = JSON.parse((await gateRequest(server.address, server.tokenFile, 'GET', '/v1/status')).body);
  assert.deepEqual(status.sessions.map((x: { session: string; mode: string }) => [x.session, x.mode]), [[s.id, 'enforce']]);
});

test('stopping one session refuses its later calls (410) and its pending approval; the other goes on', async (t) => {
  const { server, dir, policy } = await testServer();
  t.after(() => server.close());
  let asked!: () => void;
  const approverCalled = new Promise<void>((res) => (asked = res));
  const stopping = server.openSession({
    policy, mode: 'enforce', auditDir: join(dir, 'a'),
    approver: () => {
      asked();
      return new Promise(() => {}); // a modal nobody answers
    },
  });
  const other = server.openSession({ policy, mode: 'enforce', auditDir: join(dir, 'b') });
  const pending = checkWithGate(server.address, server.tokenFile, exec('sudo reboot'), stopping.id);
  await approverCalled;
  await stopping.close();
  const refused = await pending;
  assert.equal(refused.run, false);
  assert.match(refused.message, /\(not approved\)/);
  // The refused call is in the stopped session's log; the log is closed and intact.
  assert.deepEqual((await allEvents(stopping.auditDir)).map((e) => e.request.command), ['sudo reboot']);
  assert.equal((await verifyAudit(stopping.auditDir)).ok, true);

  const late = await gateRequest(server.address, server.tokenFile, 'POST', '/v1/check', JSON.stringify(exec('ls')), { session: stopping.id });
  assert.equal(late.status, 410);
  assert.match(late.body, /has been stopped/);
  await assert.rejects(stopping.decide(exec('ls')), /has been stopped/);
  assert.equal(server.session(stopping.id), undefined);
  assert.deepEqual(server.sessions().map((x) => x.id), [other.id]);
  assert.equal((await checkWithGate(server.address, server.tokenFile, exec('ls'), other.id)).run, true);
});

test('sessions cannot share an audit directory or an id; closing the gate stops them all', async (t) => {
  const { server, dir, policy } = await testServer();
  t.after(() => server.close());
  const a = server.openSession({ policy, mode: 'monitor', auditDir: join(dir, 'audit'), id: 'S1' });
  assert.throws(() => server.openSession({ policy, mode: 'monitor', auditDir: join(dir, 'audit', '.') }), /already writes the audit log/);
  assert.throws(() => server.openSession({ policy, mode: 'monitor', auditDir: join(dir, 'other'), id: 'S1' }), /already has a session S1/);
  await server.close();
  assert.equal(a.closed, true);
  assert.equal(existsSync(server.tokenFile), false);
  assert.throws(() => server.openSession({ policy, mode: 'monitor', auditDir: join(dir, 'x') }), /the gate is closed/);
});
