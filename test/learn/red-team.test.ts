// A held-out check of the guards: 1,235 dangerous commands for 64 binaries,
// written by someone who had not read dangerous-forms.ts (test/fixtures/red-team/).
// For each binary, a busy session of benign calls is learned (the widest
// fragment an agent is likely to earn), and none of the binary's dangerous
// commands may pass it, except the few the learner leaves allowed on purpose.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../src/core/learn/analyzer';
import { fragmentPolicySet } from '../../src/core/learn/fragment-policies';
import { evaluate } from '../../src/core/policy/index';
import { execs } from './exec-helpers';

const DIR = join(__dirname, '..', 'fixtures', 'red-team');

/** Allowed on purpose: edits of project files, a bare `env` as observed, a root-level flag file, cache and dependency management, deno's permission flags. */
const DELIBERATE = new Set([
  'head -c 10M /dev/urandom > package-lock.json', 'uniq /dev/null src/index.ts', 'cp -f /dev/null src/main.rs', 'mv -f empty.txt src/index.ts',
  'env', 'touch /forcefsck', 'bun pm cache rm', 'go mod edit -replace=golang.org/x/crypto=github.com/attacker/crypto@v0.0.1', 'deno run -RN --allow-env main.ts',
]);

describe('red-team probes against fragments learned from busy benign sessions', () => {
  const sessions = JSON.parse(readFileSync(join(DIR, 'busy-sessions.json'), 'utf8')) as Record<string, string[]>;
  const probes = readFileSync(join(DIR, 'probes.tsv'), 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t') as [string, string, string]);

  it('covers every binary of the probe set with a session', () => {
    assert.deepEqual([...new Set(probes.map(([bin]) => bin))].filter((b) => !sessions[b]), []);
  });

  it('lets none through but the deliberate ones', () => {
    const passed: string[] = [];
    for (const [bin, calls] of Object.entries(sessions)) {
      const set = fragmentPolicySet(analyze(execs(...calls)));
      for (const [b, command] of probes) {
        if (b === bin && evaluate(set, { tool: 'exec', params: { command } }).action === 'allow' && !DELIBERATE.has(command)) passed.push(command);
      }
    }
    assert.deepEqual(passed, []);
  });
});
