// Shared by the policy tests: a policy set from YAML text (failing the test on
// any diagnostic) and the action it takes on one exec command.
import assert from 'node:assert/strict';
import { evaluate, parsePolicyText, type PolicySet } from '../../src/core/policy/index';

export function policy(text: string): PolicySet {
  const { set, diagnostics } = parsePolicyText(text, 'p.yaml');
  assert.ok(set, diagnostics.map((d) => d.message).join('\n'));
  return set;
}

export const actOnCommand = (set: PolicySet, command: string) => evaluate(set, { tool: 'exec', params: { command } }).action;
