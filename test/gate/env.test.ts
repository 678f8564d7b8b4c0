import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { sessionEnv, shimPaths } from '../../src/core/gate';

const base = { gate: '127.0.0.1:1234', tokenFile: '/run/x/token', session: 'S1', mode: 'monitor' as const };

test('sessionEnv points SHELL and CLAUDE_CODE_SHELL at the shim and puts the wrappers first on PATH', () => {
  const shim = shimPaths();
  const env = sessionEnv({ ...base, agent: 'claude', baseEnv: { SHELL: '/bin/bash', PATH: '/usr/bin:/bin' } });
  assert.deepEqual(env, {
    SHELL: shim.shell,
    CLAUDE_CODE_SHELL: shim.shell,
    PATH: `${shim.binDir}:/usr/bin:/bin`,
    RAMPART_REAL_SHELL: '/bin/bash',
    RAMPART_GATE: '127.0.0.1:1234',
    RAMPART_TOKEN_FILE: '/run/x/token',
    RAMPART_SESSION: 'S1',
    RAMPART_MODE: 'monitor',
    RAMPART_AGENT: 'claude',
  });
  for (const name of ['bash', 'sh', 'zsh', 'dash']) assert.ok(statSync(join(shim.binDir, name)).mode & 0o111, `${name} wrapper is executable`);
});

test('a nested session never takes the shim for the real shell, nor lists the wrappers twice', () => {
  const shim = shimPaths();
  const outer = sessionEnv({ ...base, baseEnv: { SHELL: '/bin/zsh', PATH: '/usr/bin' } });
  const inner = sessionEnv({ ...base, baseEnv: { ...outer } });
  assert.equal(inner.RAMPART_REAL_SHELL, outer.RAMPART_REAL_SHELL);
  assert.notEqual(inner.RAMPART_REAL_SHELL, shim.shell);
  assert.equal(inner.PATH.split(':').filter((p) => p === shim.binDir).length, 1);
  const fromShim = sessionEnv({ ...base, baseEnv: { SHELL: shim.shell, PATH: '/usr/bin' } });
  assert.equal(fromShim.RAMPART_REAL_SHELL, '/bin/bash');
});
