import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { sessionEnv, type FailBehaviour } from '../../src/core/gate';
import type { GateMode } from '../../src/core/types';
import { run, SHIM, tempDir } from './helpers';

/** A 127.0.0.1 address nobody listens on: a port that was just free and is closed again. */
async function deadTcpAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as { port: number }).port;
  await new Promise((res) => server.close(res));
  return `127.0.0.1:${port}`;
}

/** A token file (and curl config) as a gate would leave them, for a gate that is not there. */
function orphanToken(dir: string): string {
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, `${'a'.repeat(64)}\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'curl.conf'), `header = "Authorization: Bearer ${'a'.repeat(64)}"\n`, { mode: 0o600 });
  return tokenFile;
}

const cases: { mode: GateMode; fail?: FailBehaviour; runs: boolean; says: RegExp }[] = [
  { mode: 'enforce', runs: false, says: /^rampart: blocked — cannot connect to the gate at .*; enforce mode fails closed\n$/ },
  { mode: 'monitor', runs: true, says: /^rampart: warning — cannot connect to the gate at .*; running unchecked \(monitor mode\)\n$/ },
  { mode: 'enforce', fail: 'open', runs: true, says: /^rampart: warning — cannot connect to the gate at .*; running unchecked \(RAMPART_GATE_FAIL=open\)\n$/ },
  { mode: 'monitor', fail: 'closed', runs: false, says: /^rampart: blocked — cannot connect to the gate at .*; failing closed \(RAMPART_GATE_FAIL=closed\)\n$/ },
  { mode: 'enforce', fail: 'closed', runs: false, says: /; failing closed \(RAMPART_GATE_FAIL=closed\)\n$/ },
];

for (const transport of ['tcp (bash /dev/tcp)', 'unix socket (curl)'] as const) {
  for (const c of cases) {
    test(`dead gate over ${transport}, ${c.mode} mode, RAMPART_GATE_FAIL=${c.fail ?? '(unset)'}: ${c.runs ? 'runs with a warning' : 'blocked'}`, async () => {
      const dir = tempDir('rl-fail-');
      const gate = transport.startsWith('tcp') ? await deadTcpAddress() : `unix:${join(dir, 'gone.sock')}`;
      const env = sessionEnv({ gate, tokenFile: orphanToken(dir), session: 'S1', mode: c.mode, failBehaviour: c.fail });
      assert.equal(env.RAMPART_GATE_FAIL, c.fail);
      const marker = join(dir, 'ran');
      const r = await run(SHIM, ['-c', `touch ${marker} && echo done`], { ...process.env, ...env });
      assert.match(r.stderr, c.says);
      assert.equal(r.code, c.runs ? 0 : 126);
      assert.equal(r.stdout, c.runs ? 'done\n' : '');
      assert.equal(existsSync(marker), c.runs);
    });
  }
}
