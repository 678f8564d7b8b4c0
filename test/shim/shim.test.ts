import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAuditRecords, verifyAudit } from '../../src/core/audit';
import { allEvents, run, SHIM, testGate, tempDir } from '../gate/helpers';

/** A stand-in "real shell" that records the argv it was exec'd with, NUL-separated. */
function argvRecorder(dir: string): { shell: string; read: () => string[] } {
  const out = join(dir, 'argv');
  const shell = join(dir, 'record-argv');
  writeFileSync(shell, `#!/bin/bash\nprintf '%s\\0' "$@" > ${JSON.stringify(out)}\n`);
  chmodSync(shell, 0o755);
  return { shell, read: () => readFileSync(out, 'utf8').split('\0').slice(0, -1) };
}

test('an allowed -c command runs with its arguments and is recorded with its cwd', async (t) => {
  const { gate, auditDir, dir } = await testGate();
  t.after(() => gate.close());
  const r = await run(SHIM, ['-c', 'echo "$0:$1:$PWD"', 'zero', 'one'], { ...process.env, ...gate.sessionEnv() }, { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `zero:one:${dir}\n`);
  const [e] = await allEvents(auditDir);
  // Judged and logged as the line that runs: the operands are the script's $0 and $1.
  assert.equal(e.request.command, `sh -c 'echo "$0:$1:$PWD"' zero one`);
  assert.equal(e.cwd, dir);
  assert.equal(e.tool, 'exec');
});

test('operands after the command string are judged with it: `-c \'"$@"\' _ CMD` cannot slip a denied CMD through', async (t) => {
  const { gate, dir } = await testGate();
  t.after(() => gate.close());
  const marker = join(dir, 'ran');
  for (const argv of [['-c', '"$@"', '_', 'rm', '-rf', marker], ['-c', 'rm -rf "$1"', '_', marker], ['-c', 'exec "$0" "$@"', 'rm', '-rf', marker]]) {
    writeFileSync(marker, '');
    const r = await run(SHIM, argv, { ...process.env, ...gate.sessionEnv() });
    assert.equal(r.code, 126, `${argv.join(' ')}: ${r.stderr}`);
    assert.equal(existsSync(marker), true, `${argv.join(' ')} ran`);
  }
});

test('a denied command exits 126 with the message and does not run', async (t) => {
  const { gate, dir } = await testGate();
  t.after(() => gate.close());
  const marker = join(dir, 'ran');
  const r = await run(SHIM, ['-c', `rm -rf /nonexistent; touch ${marker}`], { ...process.env, ...gate.sessionEnv() });
  assert.equal(r.code, 126);
  assert.equal(r.stderr, 'rampart: blocked — destructive rm is not allowed\n');
  assert.equal(existsSync(marker), false);
  // ask without an approver is blocked too
  const ask = await run(SHIM, ['-c', `sudo true; touch ${marker}`], { ...process.env, ...gate.sessionEnv() });
  assert.equal(ask.code, 126);
  assert.match(ask.stderr, /blocked — sudo needs approval \(no approver attached\)/);
  assert.equal(existsSync(marker), false);
});

test('flags before -c are kept and the real shell gets the original argv', async (t) => {
  const { gate, dir, auditDir } = await testGate();
  t.after(() => gate.close());
  const rec = argvRecorder(dir);
  const env = { ...process.env, ...gate.sessionEnv(), RAMPART_REAL_SHELL: rec.shell };
  for (const argv of [['-e', '-o', 'pipefail', '-c', 'ls | wc'], ['-lc', 'git status'], ['--norc', '-c', 'pwd', 'name', 'a b']]) {
    const r = await run(SHIM, argv, env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(rec.read(), argv);
  }
  assert.deepEqual((await allEvents(auditDir)).map((e) => e.request.command), ['ls | wc', 'git status', "sh -c pwd name 'a b'"]);
});

test('option clusters before the command string are read as the shell reads them: -eo pipefail, -co pipefail CMD', async (t) => {
  const { gate, dir } = await testGate();
  t.after(() => gate.close());
  const marker = join(dir, 'ran');
  const rm = `rm -rf ${marker}`;
  for (const argv of [['-eo', 'pipefail', '-c', rm], ['-euo', 'pipefail', '-c', rm], ['-co', 'pipefail', rm], ['-oc', 'pipefail', rm], ['-cO', 'extglob', rm], ['+eo', 'pipefail', '-c', rm]]) {
    writeFileSync(marker, '');
    const r = await run(SHIM, argv, { ...process.env, ...gate.sessionEnv() });
    assert.equal(r.code, 126, `${argv.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr, 'rampart: blocked — destructive rm is not allowed\n');
    assert.equal(existsSync(marker), true, `${argv.join(' ')} ran`);
  }
});

test('the caller\'s exported functions and BASH_ENV cannot answer for the gate; an emptied RAMPART_GATE in a session fails closed', async (t) => {
  const { gate, dir } = await testGate();
  t.after(() => gate.close());
  const marker = join(dir, 'ran');
  const env = { ...process.env, ...gate.sessionEnv() };
  const forge = join(dir, 'forge.sh');
  writeFileSync(forge, 'read() { rampart_line="RAMPART-VERDICT run x forged"; return 0; }\n');
  for (const extra of [{ 'BASH_FUNC_read%%': '() { rampart_line="RAMPART-VERDICT run x forged"; return 0; }' }, { BASH_ENV: forge }, { RAMPART_GATE: '' }]) {
    writeFileSync(marker, '');
    const r = await run(SHIM, ['-c', `rm -rf ${marker}`], { ...env, ...extra });
    assert.equal(r.code, 126, `${JSON.stringify(extra)}: ${r.stderr}`);
    assert.equal(existsSync(marker), true, `${JSON.stringify(extra)}: ran`);
  }
});

test('interactive and script invocations pass straight through unrecorded', async (t) => {
  const { gate, dir, auditDir } = await testGate();
  t.after(() => gate.close());
  const script = join(dir, 'script.sh');
  writeFileSync(script, 'echo "script $1"\n');
  const env = { ...process.env, ...gate.sessionEnv() };
  assert.equal((await run(SHIM, [script, 'arg'], env)).stdout, 'script arg\n');
  assert.equal((await run(SHIM, ['-s'], env, { input: 'echo from-stdin\n' })).stdout, 'from-stdin\n');
  assert.equal((await allEvents(auditDir)).length, 0);
});

test('hostile commands reach the gate and the real shell byte for byte', async (t) => {
  const { gate, dir, auditDir } = await testGate({ mode: 'monitor' });
  t.after(() => gate.close());
  const rec = argvRecorder(dir);
  const env = { ...process.env, ...gate.sessionEnv(), RAMPART_REAL_SHELL: rec.shell, LANG: 'C.UTF-8' };
  const hostile = [
    `echo 'single' "double \\" quote" \`date\` $(id -u) \${HOME} $$ \\\\ back`,
    'printf "a\\nb"\nsecond line\r\n\tthird',
    'echo ünïcödé — 日本語 🎉 \u202e',
    'echo "HTTP/1.1 200 OK\r\n\r\nRAMPART-VERDICT block x y"',
    '%s %d %% \\0 \\x41 -- -c',
    ' ',
    // Linux caps one argv string at 128 KiB (MAX_ARG_STRLEN), so no -c command can be longer.
    `: ${'x'.repeat(128 * 1024 - 3)}`,
  ];
  for (const cmd of hostile) {
    const r = await run(SHIM, ['-c', cmd], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(rec.read()[1], cmd);
  }
  const recorded = (await allEvents(auditDir)).map((e) => e.request.command);
  assert.deepEqual(recorded, hostile);
});

test('the largest possible -c command (128 KiB, the kernel limit) actually runs through bash', async (t) => {
  const { gate } = await testGate();
  t.after(() => gate.close());
  const payload = 'z'.repeat(128 * 1024 - 100);
  const r = await run(SHIM, ['-c', `printf %s '${payload}' | wc -c`], { ...process.env, ...gate.sessionEnv() });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), String(payload.length));
});

test('with the gate gone, enforce fails closed and monitor runs with a warning', async () => {
  for (const mode of ['enforce', 'monitor'] as const) {
    const { gate, dir } = await testGate({ mode });
    const env = { ...process.env, ...gate.sessionEnv() };
    await gate.close();
    const marker = join(dir, 'ran');
    const r = await run(SHIM, ['-c', `touch ${marker}`], env);
    if (mode === 'enforce') {
      assert.equal(r.code, 126);
      assert.match(r.stderr, /^rampart: blocked — cannot (connect to|read) .*enforce mode fails closed\n$/);
      assert.equal(existsSync(marker), false);
    } else {
      assert.equal(r.code, 0);
      assert.match(r.stderr, /^rampart: warning — .*running unchecked \(monitor mode\)\n$/);
      assert.equal(existsSync(marker), true);
    }
  }
});

test('a wrong token is refused (401) and nothing runs in enforce mode', async (t) => {
  const { gate, dir, auditDir } = await testGate();
  t.after(() => gate.close());
  const badToken = join(dir, 'bad-token');
  writeFileSync(badToken, `${'0'.repeat(64)}\n`);
  const marker = join(dir, 'ran');
  const r = await run(SHIM, ['-c', `touch ${marker}`], { ...process.env, ...gate.sessionEnv(), RAMPART_TOKEN_FILE: badToken });
  assert.equal(r.code, 126);
  assert.match(r.stderr, /refused the request \(HTTP\/1\.1 401 Unauthorized\)/);
  assert.equal(existsSync(marker), false);
  assert.equal((await allEvents(auditDir)).length, 0);
});

test('an oversized command gets 413 from the gate and is blocked in enforce mode', async (t) => {
  const { gate, dir } = await testGate({ maxBodyBytes: 64 * 1024 });
  t.after(() => gate.close());
  const marker = join(dir, 'ran');
  const r = await run(SHIM, ['-c', `touch ${marker} # ${'p'.repeat(100 * 1024)}`], { ...process.env, ...gate.sessionEnv() });
  assert.equal(r.code, 126);
  assert.match(r.stderr, /413/);
  assert.equal(existsSync(marker), false);
});

test('PATH wrappers act inside a session and exec the real binary outside one', async (t) => {
  const { gate, auditDir } = await testGate();
  t.after(() => gate.close());
  const env = { ...process.env, ...gate.sessionEnv() };
  for (const sh of ['bash', 'sh']) {
    const r = await run('/bin/sh', ['-c', `${sh} -c 'echo via-${sh}'`], env);
    assert.equal(r.stdout, `via-${sh}\n`, r.stderr);
  }
  const denied = await run('/bin/sh', ['-c', `bash -c 'rm -rf /nope'`], env);
  assert.equal(denied.code, 126);
  const { RAMPART_SESSION: _s, ...outside } = env;
  const r = await run('/bin/sh', ['-c', `bash -c 'echo outside; rm -rf /nonexistent-dir-x'`], outside);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, 'outside\n');
  const commands = (await allEvents(auditDir)).map((e) => e.request.command);
  assert.deepEqual(commands, ["echo via-bash", "echo via-sh", 'rm -rf /nope']);
});

test('a gate on a Unix socket is reached through curl, operands included', async (t) => {
  const dir = tempDir();
  const { gate, auditDir } = await testGate({ listen: { socket: join(dir, 'gate.sock') } });
  t.after(() => gate.close());
  const env = { ...process.env, ...gate.sessionEnv() };
  const ok = await run(SHIM, ['-c', 'echo "curl $1"', '_', 'ok'], env);
  assert.equal(ok.stdout, 'curl ok\n', ok.stderr);
  const marker = join(dir, 'ran');
  const denied = await run(SHIM, ['-c', `rm -rf /x; touch ${marker}`], env);
  assert.equal(denied.code, 126);
  assert.equal(denied.stderr, 'rampart: blocked — destructive rm is not allowed\n');
  assert.equal(existsSync(marker), false);
  assert.deepEqual((await allEvents(auditDir)).map((e) => e.request.command), [`sh -c 'echo "curl $1"' _ ok`, `rm -rf /x; touch ${marker}`]);
});

test('RAMPART_REPORT_EXIT reports exit code and duration as a completion record', async (t) => {
  const { gate, auditDir } = await testGate();
  t.after(() => gate.close());
  const r = await run(SHIM, ['-c', 'sleep 0.05; exit 3'], { ...process.env, ...gate.sessionEnv(), RAMPART_REPORT_EXIT: '1' });
  assert.equal(r.code, 3);
  const records = [];
  for await (const x of readAuditRecords(auditDir)) records.push(x.record as unknown as Record<string, unknown>);
  assert.equal(records.length, 2);
  assert.equal(records[1].ref, records[0].id);
  const response = records[1].response as { exit_code: number; duration_ms: number };
  assert.equal(response.exit_code, 3);
  assert.ok(response.duration_ms >= 40, `duration ${response.duration_ms}`);
  assert.equal((await verifyAudit(auditDir)).ok, true);
});

test('load: 8 concurrent shells × 500 commands give exactly 4,000 events and a valid chain', async (t) => {
  const { gate, auditDir } = await testGate({ mode: 'monitor' });
  t.after(() => gate.close());
  // dash as the real shell keeps 4,000 runs quick; the shim in front of it is the same.
  const env = { ...process.env, ...gate.sessionEnv(), RAMPART_REAL_SHELL: '/bin/dash' };
  const dir = tempDir();
  const shells = Array.from({ length: 8 }, (_, s) => {
    const script = join(dir, `load-${s}.sh`);
    writeFileSync(script, `i=0\nwhile [ $i -lt 500 ]; do "$SHELL" -c ": shell ${s} cmd $i" || exit 1; i=$((i+1)); done\n`);
    return run('/bin/bash', [script], env);
  });
  const results = await Promise.all(shells);
  for (const r of results) assert.equal(r.code, 0, r.stderr);
  const commands = (await allEvents(auditDir)).map((e) => e.request.command ?? '');
  assert.equal(commands.length, 4000);
  assert.equal(new Set(commands).size, 4000, 'no duplicates');
  for (let s = 0; s < 8; s++) {
    const mine = commands.filter((c) => c.startsWith(`: shell ${s} `));
    assert.deepEqual(mine, Array.from({ length: 500 }, (_, i) => `: shell ${s} cmd ${i}`), `shell ${s} in order, none lost`);
  }
  const v = await verifyAudit(auditDir);
  assert.equal(v.ok, true);
  assert.equal(v.events, 4000);
});
