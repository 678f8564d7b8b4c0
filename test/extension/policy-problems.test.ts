import './vscode-stub';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { policyErrorSummary, policyLoadError } from '../../src/extension/policyProblems';
import { TEST_POLICY } from '../gate/helpers';

test('a policy that does not load is summed up by its error count, not the parser message', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-ext-policy-'));
  const file = join(dir, 'rampart.yaml');
  writeFileSync(file, TEST_POLICY);
  assert.equal(await policyLoadError(file), undefined);

  writeFileSync(file, TEST_POLICY.replace('command_matches: ["rm -rf *"]', 'command_matchs: ["rm -rf *"]').replace('action: watch', 'action: wach'));
  const err = await policyLoadError(file);
  assert.ok(err, 'the typos are errors');
  assert.equal(policyErrorSummary(file, err), 'rampart.yaml has 2 errors');
  assert.equal(policyErrorSummary(file, new Error('EACCES')), 'rampart.yaml has 1 error');
});
