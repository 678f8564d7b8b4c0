import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { programOf, programOnPath } from '../../src/core/agents/program-on-path';

test('programOf: the program a command line starts, past assignments and wrappers', () => {
  assert.equal(programOf('claude'), 'claude');
  assert.equal(programOf('aider --yes-always'), 'aider');
  assert.equal(programOf('FOO=1 ./bin/agent.sh --x'), './bin/agent.sh');
  assert.equal(programOf('env DEBUG=1 codex'), 'codex');
  assert.equal(programOf(''), undefined);
});

test('programOnPath: executables in PATH folders or at a path; not files that cannot run, folders or missing names', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-path-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  mkdirSync(join(bin, 'folder-agent'));
  writeFileSync(join(bin, 'agent'), '#!/bin/sh\n');
  chmodSync(join(bin, 'agent'), 0o755);
  writeFileSync(join(bin, 'notes'), 'not a program');
  writeFileSync(join(bin, 'tool.cmd'), '');
  chmodSync(join(bin, 'tool.cmd'), 0o755);
  const path = ['', join(dir, 'missing'), bin].join(delimiter);
  assert.equal(programOnPath('agent', path, dir), true);
  assert.equal(programOnPath('notes', path, dir), false, 'not executable');
  assert.equal(programOnPath('folder-agent', path, dir), false, 'a folder');
  assert.equal(programOnPath('claude-not-installed', path, dir), false);
  assert.equal(programOnPath('./bin/agent', '', dir), true, 'relative to the folder');
  assert.equal(programOnPath(join(bin, 'agent'), '', '/'), true);
  assert.equal(programOnPath('./bin/nope', path, dir), false);
  assert.equal(programOnPath('tool', path, dir, '.EXE;.CMD'), false, 'extensions are tried as written');
  assert.equal(programOnPath('tool', path, dir, '.exe;.cmd'), true, 'with PATHEXT');
  assert.equal(programOnPath('$HOME/bin/x', '', dir), true, 'a variable cannot be checked here');
});
