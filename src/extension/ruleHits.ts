// "Rule never matched in N recorded calls": replays the calls Learn last read
// against the policy text being edited and hints at rules that decided none
// of them. A hint, not a warning: a deny that never fired may be doing its job.
import * as vscode from 'vscode';
import { evaluate, parsePolicyText } from '../core/policy';
import type { ToolCall } from '../core/types';
import { DIAGNOSTIC_SOURCE } from './lintDiagnostics';
import type { LineIndex } from './ranges';

export const UNUSED_RULE_CODE = 'rule-never-matched';
/** Replaying more than this many calls on every keystroke would lag the editor. */
export const MAX_REPLAYED_CALLS = 20_000;

export function unusedRuleDiagnostics(text: string, file: string, index: LineIndex, calls: readonly ToolCall[]): vscode.Diagnostic[] {
  if (!calls.length) return [];
  const { set } = parsePolicyText(text, file);
  if (!set) return [];
  const replayed = calls.slice(-MAX_REPLAYED_CALLS);
  const hits = new Set<string>();
  for (const call of replayed) {
    const d = evaluate(set, call);
    if (d.policy !== null && d.rule !== null) hits.add(`${d.policy}\0${d.rule}`);
  }
  const out: vscode.Diagnostic[] = [];
  for (const p of set.policies) {
    if (p.file !== file || !p.enabled) continue;
    for (const r of p.rules) {
      if (hits.has(`${p.name}\0${r.index}`)) continue;
      const d = new vscode.Diagnostic(
        index.range(r.actionSpan.start, r.actionSpan.end),
        `Rule ${r.index} of "${p.name}" never matched in ${replayed.length} recorded call${replayed.length === 1 ? '' : 's'}`,
        vscode.DiagnosticSeverity.Hint,
      );
      d.source = DIAGNOSTIC_SOURCE;
      d.code = UNUSED_RULE_CODE;
      out.push(d);
    }
  }
  return out;
}
