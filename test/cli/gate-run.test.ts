import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAudit } from '../../src/core/audit';
import { allEvents, tempDir, writePolicy } from '../gate/helpers';

const CLI = join(__dirname, '../../dist/cli.js');

function cli(
  args: string[],
  cwd: string,
  opts: { onSpawn?: (pid: number) => void; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d));
    p.stderr.on('data', (d: Buffer) => {
      stderr += d;
      if (stderr.includes('Starting observation') || stderr.includes('READY')) opts.onSpawn?.(p.pid!);
    });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function project(): string {
  const dir = tempDir('rl-run-');
  writePolicy(dir);
  return dir;
}

test('learn -- bash -c "git status; ls; npm --version" records every command and writes the fragment', async () => {
  const dir = project();
  const auditDir = join(dir, 'kept-audit');
  const r = await cli(['learn', '--audit-dir', auditDir, '--', 'bash', '-c', 'git status; ls; npm --version'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /rampart learn: Starting observation session/);
  assert.match(r.stderr, /Policy: rampart\.yaml \(monitor mode - nothing will be blocked\)/);
  assert.match(r.stderr, new RegExp(`Audit: +${auditDir}/audit\\.jsonl`));
  assert.match(r.stderr, /Observed 1 tool call over [\d.]+s\. Analyzing\.\.\./);
  assert.match(r.stderr, /Audit log kept at/);
  const events = await allEvents(auditDir);
  assert.equal(events.length, 1);
  assert.equal(events[0].request.command, 'git status; ls; npm --version');
  assert.equal(events[0].agent, 'bash');
  assert.equal(events[0].decision.mode, 'monitor');
  const fragment = readFileSync(join(dir, 'rampart-learn.yaml'), 'utf8');
  for (const c of ['git status', 'ls', 'npm --version']) assert.ok(fragment.includes(c), `fragment mentions ${c}`);
});

test('a scripted agent running 20 commands through $SHELL -c is fully recorded; nothing is blocked', async () => {
  const dir = project();
  const agent = join(dir, 'agent.js');
  writeFileSync(
    agent,
    `const { execFileSync } = require('node:child_process');
     for (let i = 0; i < 20; i++) {
       const cmd = i === 7 ? 'rm -rf ./does-not-exist-' + i : 'echo step ' + i + ' > /dev/null';
       execFileSync(process.env.SHELL, ['-c', cmd], { stdio: 'inherit' });
     }`,
  );
  const auditDir = join(dir, 'audit');
  const r = await cli(['learn', '--audit-dir', auditDir, '--agent', 'scripted', '--format', 'yaml', '--', process.execPath, agent], dir);
  assert.equal(r.code, 0, r.stderr);
  const events = await allEvents(auditDir);
  assert.equal(events.length, 20);
  assert.deepEqual(
    events.map((e) => e.request.command),
    Array.from({ length: 20 }, (_, i) => (i === 7 ? `rm -rf ./does-not-exist-${i}` : `echo step ${i} > /dev/null`)),
  );
  assert.equal(events[7].decision.action, 'deny', 'the real decision is recorded');
  assert.ok(events.every((e) => e.agent === 'scripted' && e.cwd === dir));
  assert.equal((await verifyAudit(auditDir)).ok, true);
});

test('learn without --audit-dir deletes its temp audit log; --keep-audit keeps it', async () => {
  const dir = project();
  const r = await cli(['learn', '--', 'sh', '-c', 'true'], dir);
  assert.equal(r.code, 0, r.stderr);
  const audit = /Audit: +(\S+)\/audit\.jsonl/.exec(r.stderr)![1];
  assert.equal(existsSync(audit), false);
  const kept = await cli(['learn', '--keep-audit', '--', 'sh', '-c', 'true'], dir);
  const keptDir = /Audit: +(\S+)\/audit\.jsonl/.exec(kept.stderr)![1];
  assert.equal((await allEvents(keptDir)).length, 1);
});

test('SIGINT reaches the agent and the analysis still runs', async () => {
  const dir = project();
  const auditDir = join(dir, 'audit');
  const agent = join(dir, 'agent.sh');
  writeFileSync(agent, `"$SHELL" -c 'echo before-interrupt'\necho READY >&2\nexec sleep 30\n`);
  const started = Date.now();
  let sent = false;
  const r = await cli(['learn', '--audit-dir', auditDir, '--', '/bin/bash', agent], dir, {
    onSpawn: (pid) => {
      if (sent || !existsSync(join(auditDir, 'audit.jsonl'))) return;
      sent = true;
      setTimeout(() => process.kill(pid, 'SIGINT'), 200);
    },
  });
  assert.ok(sent, r.stderr);
  assert.ok(Date.now() - started < 25_000, 'the agent was interrupted');
  assert.equal(r.code, 130, 'exit code of a SIGINT-ended child');
  assert.match(r.stderr, /Observed 1 tool call/);
  assert.ok(existsSync(join(dir, 'rampart-learn.yaml')));
});

test('SIGTERM to wrap (no terminal) stops the agent and the command it is running', async () => {
  const dir = project();
  const marker = join(dir, 'survived');
  const agent = join(dir, 'agent.sh');
  // The agent traps nothing; its command outlives it unless the whole group is stopped.
  writeFileSync(agent, `"$SHELL" -c 'echo READY >&2; sleep 3; touch ${marker}'\n`);
  let sent = false;
  const r = await cli(['wrap', '--audit-dir', join(dir, 'audit'), '--', '/bin/bash', agent], dir, {
    onSpawn: (pid) => {
      if (sent) return;
      sent = true;
      setTimeout(() => process.kill(pid, 'SIGTERM'), 200);
    },
  });
  assert.ok(sent, r.stderr);
  assert.equal(r.code, 143, r.stderr);
  await new Promise((res) => setTimeout(res, 3500));
  assert.equal(existsSync(marker), false, 'the command the agent was running finished after wrap had exited');
});

test('wrap enforces: deny exits 126 through the child, exit codes pass through, summary line', async () => {
  const dir = project();
  const auditDir = join(dir, 'audit');
  const marker = join(dir, 'ran');
  const denied = await cli(['wrap', '--audit-dir', auditDir, '--', 'bash', '-c', `rm -rf /nope; touch ${marker}`], dir);
  assert.equal(denied.code, 126);
  assert.match(denied.stderr, /rampart: blocked — destructive rm is not allowed/);
  assert.match(denied.stderr, /rampart: 1 call evaluated, 1 denied, 0 asked, 0 watched\n$/);
  assert.equal(existsSync(marker), false);

  const script = join(dir, 'agent.sh');
  writeFileSync(script, `"$SHELL" -c 'curl --version' >/dev/null 2>&1 || true\n"$SHELL" -c 'sudo true' || true\n"$SHELL" -c 'exit 0'\nexit 7\n`);
  const passed = await cli(['wrap', '--audit-dir', auditDir, '--', '/bin/sh', script], dir);
  assert.equal(passed.code, 7);
  assert.match(passed.stderr, /rampart: 3 calls evaluated, 0 denied, 1 asked, 1 watched\n$/);
  assert.match(passed.stderr, /blocked — sudo needs approval \(no one to ask: rampart-learn has no terminal; allow or deny the command in the policy\)/, 'no terminal: ask is refused');
  const asked = (await allEvents(auditDir)).find((e) => e.request.command === 'sudo true')!;
  assert.equal(asked.decision.approval, 'none', 'nobody was asked: not recorded as refused');

  const monitor = await cli(['wrap', '--mode', 'monitor', '--audit-dir', auditDir, '--', 'bash', '-c', `rm -rf ./nope; touch ${marker}`], dir);
  assert.equal(monitor.code, 0);
  assert.ok(existsSync(marker));
  assert.match(monitor.stderr, /1 call evaluated, 1 would be denied/);
  assert.equal((await verifyAudit(auditDir)).ok, true);
});

test('wrap and learn reject bad usage with one line and exit 2', async () => {
  const dir = project();
  for (const args of [['wrap', 'bash'], ['wrap', '--mode', 'strict', '--', 'true'], ['learn', '--min-frequency', '0', '--', 'true'], ['learn', '--format', 'xml', '--', 'true']]) {
    const r = await cli(args, dir);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  const missing = await cli(['wrap', '--', 'no-such-agent-binary'], dir);
  assert.equal(missing.code, 127);
  assert.match(missing.stderr, /no-such-agent-binary: command not found/);
  const badPolicy = join(dir, 'bad.yaml');
  writeFileSync(badPolicy, 'version: "1"\npolicies:\n  - name: x\n    rules: [ {action: explode} ]\n');
  const bad = await cli(['wrap', '--policy', badPolicy, '--', 'true'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /bad\.yaml:\d+:\d+/);
});

test('wrap asks on the terminal for ask decisions: y runs the command, anything else blocks it', { skip: !existsSync('/usr/bin/script') && 'needs script(1) for a pseudo-terminal' }, async () => {
  const dir = project();
  for (const [answer, expectRun] of [['y', true], ['n', false]] as const) {
    const marker = join(dir, `ran-${answer}`);
    const cmd = `${process.execPath} ${CLI} wrap --audit-dir ${join(dir, 'audit')} -- bash -c 'sudo -n true 2>/dev/null; touch ${marker}'`;
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn('/usr/bin/script', ['-qfec', cmd, '/dev/null'], { cwd: dir, stdio: ['pipe', 'pipe', 'inherit'] });
      let text = '';
      p.stdout.on('data', (d: Buffer) => (text += d));
      p.on('error', reject);
      p.on('close', () => resolve(text));
      p.stdin.write(`${answer}\n`); // queued on the pseudo-terminal until the prompt reads it
    });
    assert.match(out, /rampart: sudo needs approval/);
    assert.match(out, /Allow\? \[y\/N\]/);
    assert.equal(existsSync(marker), expectRun, out);
  }
});

test('a command that cannot be run is a shell-style error with exit 126, not a crash', async () => {
  const dir = project();
  writeFileSync(join(dir, 'notes.txt'), 'not a program\n');
  for (const [command, reason] of [['./notes.txt', 'permission denied'], [dir, 'is a directory']]) {
    for (const sub of ['wrap', 'learn']) {
      const r = await cli([sub, '--audit-dir', join(dir, 'audit'), '--', command], dir);
      assert.equal(r.code, 126, `${sub} ${command}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').pop(), `rampart-learn: ${command}: ${reason}`);
      assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
    }
  }
});

test('an --audit-dir that cannot be a directory is one line and exit 2, before the agent runs', async () => {
  const dir = project();
  const marker = join(dir, 'ran');
  for (const auditDir of ['rampart.yaml', 'rampart.yaml/sub']) {
    for (const sub of ['wrap', 'learn']) {
      const r = await cli([sub, '--audit-dir', auditDir, '--', 'touch', marker], dir);
      assert.equal(r.code, 2, `${sub} ${auditDir}: ${r.stderr}`);
      assert.equal(r.stderr, `rampart-learn: audit directory ${auditDir}: not a directory\n`);
    }
  }
  assert.equal(existsSync(marker), false);
});

test('learn --audit-dir with earlier sessions in it analyses only this session', async () => {
  const dir = project();
  const auditDir = join(dir, 'audit');
  const earlier = await cli(['wrap', '--mode', 'monitor', '--audit-dir', auditDir, '--', 'bash', '-c', '$SHELL -c "uname -a"; $SHELL -c "cat rampart.yaml"'], dir);
  assert.equal(earlier.code, 0, earlier.stderr);
  const r = await cli(['learn', '--audit-dir', auditDir, '--output', 'now.yaml', '--', 'bash', '-c', 'ls'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Observed 1 tool call /);
  assert.match(r.stdout, /exec +1 command /);
  const fragment = readFileSync(join(dir, 'now.yaml'), 'utf8');
  assert.match(fragment, /Tool calls: 1\b/);
  assert.doesNotMatch(fragment, /uname|cat rampart/);
  assert.equal((await allEvents(auditDir)).length, 4, 'the log itself keeps every session');

  // A session that records nothing learns nothing, whatever the directory already holds.
  const idle = await cli(['learn', '--audit-dir', auditDir, '--output', 'idle.yaml', '--', 'true'], dir);
  assert.equal(idle.code, 0, idle.stderr);
  assert.match(idle.stderr, /No tool calls were observed/);
  assert.equal(existsSync(join(dir, 'idle.yaml')), false);
});

test('learn checks --output before the agent runs', async () => {
  const dir = project();
  const marker = join(dir, 'ran');
  mkdirSync(join(dir, 'a-dir'));
  const cases = [
    ['no/such/dir/f.yaml', /^rampart-learn: --output no\/such\/dir\/f\.yaml: cannot write in no\/such\/dir: no such file or directory\n$/],
    ['a-dir', /^rampart-learn: --output a-dir is a directory; give a file name\n$/],
    ['rampart.yaml/f.yaml', /^rampart-learn: --output rampart\.yaml\/f\.yaml: cannot write in rampart\.yaml: not a directory\n$/],
  ] as const;
  for (const [output, message] of cases) {
    const r = await cli(['learn', '--output', output, '--', 'touch', marker], dir);
    assert.equal(r.code, 2, output);
    assert.match(r.stderr, message);
  }
  assert.equal(existsSync(marker), false, 'the agent never started');
});

test('learn keeps its temp audit log and says so when the fragment cannot be written after all', async () => {
  const dir = project();
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  mkdirSync(join(dir, 'out'));
  // The agent itself takes the place away: the directory goes (ENOENT), or a directory takes the file's name (EISDIR).
  for (const [output, agent] of [['out/f.yaml', 'rmdir out'], ['f.yaml', 'mkdir f.yaml']]) {
    const r = await cli(['learn', '--output', output, '--', 'bash', '-c', agent], dir, { env: { TMPDIR: tmp } });
    assert.equal(r.code, 2, r.stderr);
    const kept = /The audit log is kept at (\S+);/.exec(r.stderr)?.[1];
    assert.ok(kept, r.stderr);
    assert.equal((await allEvents(kept)).length, 1, 'the session is still there to analyse');
    assert.match(r.stderr, new RegExp(`rampart-learn analyze ${kept} --output FILE`));
    assert.equal(r.stderr.trim().split('\n').pop()!.startsWith(`rampart-learn: --output ${output}`), true, r.stderr);
  }
});

test('under NO_COLOR or in a pipe, learn and wrap print plain ASCII', async () => {
  const dir = project();
  const long = `rm -rf ./build/${'x'.repeat(80)}`;
  const asciiOnly = /^[\x00-\x7f]*$/;
  for (const env of [{ NO_COLOR: '1', TMPDIR: dir }, { TMPDIR: dir }]) {
    const r = await cli(['learn', '--keep-audit', '--output', 'f.yaml', '--force', '--', 'bash', '-c', `$SHELL -c 'ls'; $SHELL -c '${long}'`], dir, { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /rm -rf \.\/build\/x+\.\.\./, 'a cut example ends in "..."');
    assert.match(r.stderr, /^! Audit log kept at/m);
    assert.match(r.stdout + r.stderr, asciiOnly);
    const wrap = await cli(['wrap', '--audit-dir', join(dir, 'audit'), '--', 'bash', '-c', 'ls'], dir, { env });
    assert.match(wrap.stdout + wrap.stderr, asciiOnly);
  }
});
