import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
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

test('options before the command string are read as the shells read them: -eo pipefail, -co pipefail CMD, +c CMD, -login -c CMD', async (t) => {
  const { gate, dir } = await testGate();
  t.after(() => gate.close());
  const marker = join(dir, 'ran');
  const rm = `rm -rf ${marker}`;
  for (const argv of [['-eo', 'pipefail', '-c', rm], ['-euo', 'pipefail', '-c', rm], ['-co', 'pipefail', rm], ['-oc', 'pipefail', rm], ['-cO', 'extglob', rm], ['+eo', 'pipefail', '-c', rm],
    // +c is -c to bash, dash and zsh; bash takes its long options with one dash, which the others read as letters
    ['+c', rm], ['+ec', rm], ['-login', '-c', rm], ['-posix', '-noprofile', '-c', rm], ['-init-file', '/dev/null', '-c', rm],
    ['-rcfile', '/dev/null', '-c', rm], ['-rcfile', rm, '-c', 'true']]) {
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

test('functions exported to the shell are judged by what they run: `export -f f` cannot hide a denied command behind a name', { skip: !existsSync('/proc/self/environ') && 'no /proc' }, async (t) => {
  const { gate, dir, auditDir } = await testGate();
  t.after(() => gate.close());
  const marker = join(dir, 'ran');
  writeFileSync(marker, '');
  const env = { ...process.env, ...gate.sessionEnv(), 'BASH_FUNC_tidy%%': '() {  rm -rf "$1"\n}' };
  const r = await run(SHIM, ['-c', `tidy ${marker}`], env);
  assert.equal(r.code, 126, r.stderr);
  assert.equal(existsSync(marker), true, 'the function ran');
  // An exported function that runs nothing denied still runs, and the log shows its definition with the call
  // (the definitions of functions the command does not name are left out).
  const ok = await run(SHIM, ['-c', 'greet world'], { ...env, 'BASH_FUNC_greet%%': '() {  echo "hello $1"\n}' });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, 'hello world\n');
  const logged = (await allEvents(auditDir)).map((e) => e.request.command).pop();
  assert.equal(logged, 'greet () {  echo "hello $1"\n}\ngreet world');
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

test('a shell that gave up waiting on a stalled gate is recorded as not delivered, not as a call that ran', async (t) => {
  const { gate, dir, auditDir } = await testGate();
  t.after(() => gate.close());
  const env = { ...process.env, ...gate.sessionEnv() };
  // This shell waits out the stall and gets its answer.
  const patient = run(SHIM, ['-c', 'echo patient'], env);
  // spawnSync blocks this process, the gate's, as a stopped gate would be: this shell gives up after 0.5 s.
  const marker = join(dir, 'ran');
  const gaveUp = spawnSync(SHIM, ['-c', `touch ${marker}`], { env: { ...env, RAMPART_GATE_TIMEOUT: '0.5' }, encoding: 'utf8' });
  assert.equal(gaveUp.status, 126);
  assert.match(gaveUp.stderr, /no answer from the gate at .* within 0\.5s; enforce mode fails closed/);
  assert.equal((await patient).stdout, 'patient\n');
  assert.equal(existsSync(marker), false);
  const events = await allEvents(auditDir);
  const byCommand = new Map(events.map((e) => [e.request.command, e.decision]));
  assert.equal(byCommand.get(`touch ${marker}`)?.action, 'allow', 'the policy\'s decision is kept');
  assert.match(byCommand.get(`touch ${marker}`)?.message ?? '', /\(not delivered: the shell that asked had already given up waiting\)$/);
  assert.doesNotMatch(byCommand.get('echo patient')?.message ?? '', /not delivered/);
  assert.equal((await verifyAudit(auditDir)).ok, true);
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

/** Through curl: an allowed command runs with its operands, a denied one is blocked, and both are recorded. */
async function checkThroughCurl(env: NodeJS.ProcessEnv, dir: string, auditDir: string): Promise<string> {
  const ok = await run(SHIM, ['-c', 'echo "curl $1"', '_', 'ok'], env);
  assert.equal(ok.stdout, 'curl ok\n', ok.stderr);
  const marker = join(dir, 'ran');
  const denied = await run(SHIM, ['-c', `rm -rf /x; touch ${marker}`], env);
  assert.equal(denied.code, 126);
  assert.equal(denied.stderr, 'rampart: blocked — destructive rm is not allowed\n');
  assert.equal(existsSync(marker), false);
  assert.deepEqual((await allEvents(auditDir)).map((e) => e.request.command), [`sh -c 'echo "curl $1"' _ ok`, `rm -rf /x; touch ${marker}`]);
  return marker;
}

test('a gate on a Unix socket is reached through curl, operands included', async (t) => {
  const dir = tempDir();
  const { gate, auditDir } = await testGate({ listen: { socket: join(dir, 'gate.sock') } });
  t.after(() => gate.close());
  await checkThroughCurl({ ...process.env, ...gate.sessionEnv() }, dir, auditDir);
});

test('RAMPART_GATE_TRANSPORT=curl reaches a TCP gate through curl (as bash before 4.1 does: no read -N)', async (t) => {
  const { gate, auditDir, dir } = await testGate();
  t.after(() => gate.close());
  const env = { ...process.env, ...gate.sessionEnv(), RAMPART_GATE_TRANSPORT: 'curl' };
  const marker = await checkThroughCurl(env, dir, auditDir);
  // Without curl on PATH the gate cannot be reached, and enforce mode fails closed, naming why.
  const noCurl = await run(SHIM, ['-c', `touch ${marker}`], { ...env, PATH: dir });
  assert.equal(noCurl.code, 126);
  assert.match(noCurl.stderr, /curl is missing/);
  assert.equal(existsSync(marker), false);
  assert.deepEqual((await allEvents(auditDir)).map((e) => e.request.command), [`sh -c 'echo "curl $1"' _ ok`, `rm -rf /x; touch ${marker}`]);
});

test('RAMPART_REPORT_EXIT reports the completion through curl too (a Unix-socket gate)', async (t) => {
  const dir = tempDir();
  const { gate, auditDir } = await testGate({ listen: { socket: join(dir, 'gate.sock') } });
  t.after(() => gate.close());
  const r = await run(SHIM, ['-c', 'exit 4'], { ...process.env, ...gate.sessionEnv(), RAMPART_REPORT_EXIT: '1' });
  assert.equal(r.code, 4, r.stderr);
  const records = await allRecords(auditDir);
  assert.equal(records.length, 2);
  assert.equal(records[1].ref, records[0].id);
  assert.equal((records[1].response as { exit_code: number }).exit_code, 4);
});

test('RAMPART_REPORT_EXIT reports exit code and duration as a completion record', async (t) => {
  const { gate, auditDir } = await testGate();
  t.after(() => gate.close());
  const r = await run(SHIM, ['-c', 'sleep 0.05; exit 3'], { ...process.env, ...gate.sessionEnv(), RAMPART_REPORT_EXIT: '1' });
  assert.equal(r.code, 3);
  const records = await allRecords(auditDir);
  assert.equal(records.length, 2);
  assert.equal(records[1].ref, records[0].id);
  const response = records[1].response as { exit_code: number; duration_ms: number };
  assert.equal(response.exit_code, 3);
  assert.ok(response.duration_ms >= 40, `duration ${response.duration_ms}`);
  assert.equal((await verifyAudit(auditDir)).ok, true);
});

/** The records of an audit log, events and completions, in chain order. */
async function allRecords(auditDir: string): Promise<Record<string, unknown>[]> {
  const out = [];
  for await (const x of readAuditRecords(auditDir)) out.push(x.record as unknown as Record<string, unknown>);
  return out;
}

async function waitFor(done: () => boolean): Promise<void> {
  for (let i = 0; i < 250 && !done(); i++) await new Promise((res) => setTimeout(res, 20));
}

/** Waits for a pid file's content, not just the file: it exists, empty, between its creation and the write. */
async function waitForPid(file: string): Promise<number> {
  const written = () => existsSync(file) && readFileSync(file, 'utf8').trim() !== '';
  await waitFor(written);
  const pid = written() ? Number(readFileSync(file, 'utf8')) : 0;
  assert.ok(pid > 0, `no pid in ${file}`);
  return pid;
}

test('RAMPART_REPORT_EXIT: a signal sent to the shell reaches the command, and the shell dies of it as the real one would', async (t) => {
  const { gate, dir, auditDir } = await testGate();
  t.after(() => gate.close());
  const env = { ...process.env, ...gate.sessionEnv(), RAMPART_REPORT_EXIT: '1' };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    const started = join(dir, `started-${signal}`);
    // The real shell writes its pid and becomes the command; the agent then cancels it through the shell it started.
    let pid = 0;
    const r = await run(SHIM, ['-c', `echo $$ > ${started}; exec sleep 5 >/dev/null 2>&1`], env, {
      onSpawn: (child) => void waitForPid(started).then((p) => {
        pid = p;
        child.kill(signal);
      }),
    });
    assert.deepEqual([r.code, r.signal, r.stderr], [null, signal, '']);
    assert.throws(() => process.kill(pid, 0), /ESRCH/, `${signal}: the command is still running`);
  }
  const completions = (await allRecords(auditDir)).filter((x) => x.type === 'completion');
  assert.deepEqual(completions.map((x) => (x.response as { exit_code: number }).exit_code), [143, 130, 129]);
});

test('RAMPART_REPORT_EXIT: a shell killed by a signal stays killed by it, without a job message; exit codes above 128 stay exit codes', async (t) => {
  const { gate, auditDir } = await testGate();
  t.after(() => gate.close());
  const env = { ...process.env, ...gate.sessionEnv(), RAMPART_REPORT_EXIT: '1' };
  const cases = [
    ['kill -KILL $$', null, 'SIGKILL'],
    ['kill -SEGV $$', null, 'SIGSEGV'],
    ['exit 130', 130, null],
    ['exit 143', 143, null],
  ] as const;
  for (const [command, code, signal] of cases) {
    const r = await run(SHIM, ['-c', command], env);
    assert.deepEqual([r.code, r.signal, r.stderr], [code, signal, ''], command);
  }
  const completions = (await allRecords(auditDir)).filter((x) => x.type === 'completion');
  // The record names the signal of a death; an exit code above 128 is only an exit code.
  assert.deepEqual(completions.map((x) => x.response), [
    { exit_code: 137, duration_ms: (completions[0].response as { duration_ms: number }).duration_ms, signal: 'KILL' },
    { exit_code: 139, duration_ms: (completions[1].response as { duration_ms: number }).duration_ms, signal: 'SEGV' },
    { exit_code: 130, duration_ms: (completions[2].response as { duration_ms: number }).duration_ms },
    { exit_code: 143, duration_ms: (completions[3].response as { duration_ms: number }).duration_ms },
  ]);
  assert.equal((await verifyAudit(auditDir)).ok, true);
});

test('RAMPART_REPORT_EXIT: the command gets the agent\'s stdin, and none of the shim\'s variables or file descriptors', async (t) => {
  const { gate } = await testGate();
  t.after(() => gate.close());
  const env = { ...process.env, ...gate.sessionEnv(), RAMPART_REPORT_EXIT: '1', RAMPART_REAL_SHELL: '/bin/bash' };
  const argv = ['-c', 'cat; compgen -v | grep -c ^rampart_; cd /proc/$$/fd && echo *'];
  const r = await run(SHIM, argv, env, { input: 'from stdin\n' });
  assert.match(r.stdout, /^from stdin\n0\n/, r.stderr);
  // The same descriptors as under the real shell started directly.
  assert.equal(r.stdout, (await run('/bin/bash', argv, env, { input: 'from stdin\n' })).stdout);
});

test('RAMPART_REPORT_EXIT on a terminal: Ctrl+C reaches the command once, and a SIGINT sent to the shell alone reaches it too', { skip: !existsSync('/usr/bin/script') && 'needs script(1) for a terminal' }, async (t) => {
  const { gate, dir } = await testGate({ mode: 'monitor' });
  t.after(() => gate.close());
  // The command names its parent (the shim), then counts the SIGINTs it gets.
  const counter = join(dir, 'count-ints.js');
  writeFileSync(counter, `const fs = require('fs'); let n = 0; process.on('SIGINT', () => n++);
fs.writeFileSync(process.env.PARENT, String(process.ppid));
setTimeout(() => fs.writeFileSync(process.env.COUNT, String(n)), 1500);`);
  // The shim runs in the foreground of script(1)'s terminal; RAW puts that in raw mode, as a full-screen agent does.
  const start = join(dir, 'start.sh');
  writeFileSync(start, `[ -n "$RAW" ] && stty -isig\nexec "$SHIM" -c 'exec "$NODE" "$COUNTER"'\n`);
  for (const raw of [false, true]) {
    const parent = join(dir, `parent-${raw}`);
    const count = join(dir, `count-${raw}`);
    const env = {
      ...process.env,
      ...gate.sessionEnv(),
      SHELL: '/bin/bash',
      RAMPART_REAL_SHELL: '/bin/bash',
      RAMPART_REPORT_EXIT: '1',
      RAW: raw ? '1' : '',
      SHIM,
      NODE: process.execPath,
      COUNTER: counter,
      PARENT: parent,
      COUNT: count,
    };
    const terminal = spawn('script', ['-qfec', `/bin/bash ${start}`, '/dev/null'], { env, stdio: ['pipe', 'ignore', 'ignore'] });
    const exited = new Promise((res) => terminal.on('exit', res));
    const shim = await waitForPid(parent);
    // Cooked: Ctrl+C signals the terminal's whole foreground group, the command too. Raw: the agent signals the shell alone.
    if (raw) process.kill(shim, 'SIGINT');
    terminal.stdin.end(raw ? '' : '\x03');
    await exited;
    assert.equal(readFileSync(count, 'utf8'), '1', raw ? 'raw mode: the shell passes SIGINT on' : 'Ctrl+C: not passed on a second time');
  }
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
