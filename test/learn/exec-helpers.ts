// Shared by the exec-generalisation tests: observed exec calls, the patterns
// learned from them, and whether the fragment alone allows a command.
import assert from 'node:assert/strict';
import { fragmentPolicySet } from '../../src/core/learn/fragment-policies';
import { isCompanion } from '../../src/core/learn/companions';
import type { ObservedCall, Suggestions } from '../../src/core/learn/types';
import { evaluate } from '../../src/core/policy/index';

export const execs = (...commands: string[]): ObservedCall[] => commands.map((command) => ({ tool: 'exec', params: { command } }));

/** Patterns of what was observed; companions (count 0, companions.ts) have tests of their own. */
export const patterns = (s: Suggestions): string[] => s.exec.filter((e) => !isCompanion(e)).map((e) => e.pattern);

export const companions = (s: Suggestions): string[] => s.exec.filter(isCompanion).map((e) => e.pattern);

export function allows(s: Suggestions, command: string): boolean {
  return evaluate(fragmentPolicySet(s), { tool: 'exec', params: { command } }).action === 'allow';
}

/** Asserts the fragment alone allows every command of `allowed` and none of `refused`. */
export function assertDecisions(s: Suggestions, allowed: readonly string[], refused: readonly string[]): void {
  for (const c of allowed) assert.ok(allows(s, c), `should allow: ${c}`);
  for (const c of refused) assert.ok(!allows(s, c), `should refuse: ${c}`);
}
