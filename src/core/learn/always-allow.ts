// "Always allow" for a command the policy asks about. An allow rule never
// outranks an ask (deny > ask > watch > allow), so adding one would ask again
// next time. Instead the command, exactly as run, becomes an exception
// (`command_not_matches`) to each rule that asks about it; an exact allow rule
// is added only when nothing but `default_action` stands in its way. A deny is
// never touched: the user gets a reason instead.
import { literalGlob } from '../glob/index';
import { evaluate, matchedSpellings, parsePolicyText } from '../policy/index';
import type { Decision, ToolCall } from '../types';
import { applyEdits, fragmentEdits, MergeError, ruleExceptionEdits, type TextEdit } from './merge';
import { emptySuggestions } from './types';

export interface AlwaysAllowResult {
  /** The policy text with the changes made. */
  text: string;
  /** What changed, one line each (empty when the command was allowed already). */
  changes: string[];
  /** The decision for the command under `text`. */
  decision: Decision;
  /** Why the command is still not allowed, when it is not. */
  refusal?: string;
}

/** Rules asking about one command are few; past this many rounds something is wrong. */
const MAX_ROUNDS = 16;

/** Changes to `policyText` (the policy file `file`) after which `command` is allowed, where the policy lets that happen. */
export function alwaysAllow(policyText: string, file: string, command: string): AlwaysAllowResult {
  const call: ToolCall = { tool: 'exec', params: { command } };
  let text = policyText;
  const changes: string[] = [];
  for (let round = 0; ; round++) {
    const { set, diagnostics } = parsePolicyText(text, file);
    if (!set) throw new MergeError(`${file}: ${diagnostics.map((d) => d.message).join('; ')}`);
    const decision = evaluate(set, call);
    const done = (refusal?: string): AlwaysAllowResult => ({ text, changes, decision, ...(refusal ? { refusal } : {}) });
    if (decision.action === 'allow' || decision.action === 'watch') return done();
    if (round === MAX_ROUNDS) return done('too many rules ask about it');
    if (decision.policy === null) {
      // default_action, or a line too large to analyse (no rule can grant that one)
      if (changes.some((c) => c.startsWith('allow'))) return done(decision.message);
      text = applyEdits(text, exactAllowEdits(text, file, command));
      changes.push(`allow rule added to learned-exec: ${command}`);
      continue;
    }
    if (decision.action === 'deny') return done(`denied by ${decision.policy}: ${decision.message}`);
    const policy = set.policies.find((p) => p.name === decision.policy);
    const rule = policy?.rules[decision.rule ?? -1];
    if (!policy || !rule) return done(decision.message);
    if (rule.catchAll) return done(`rule ${rule.index} of ${policy.name} asks about every command; change it by hand`);
    const spellings = matchedSpellings(set, rule, call).map(literalGlob);
    text = applyEdits(text, ruleExceptionEdits(text, file, policy.name, rule.index, spellings));
    changes.push(`exception added to ${policy.name} rule ${rule.index}: ${spellings.join(', ')}`);
  }
}

/** Edits adding an exact allow rule for `command` to the learned-exec policy. */
function exactAllowEdits(text: string, file: string, command: string): TextEdit[] {
  const pattern = literalGlob(command);
  const s = emptySuggestions();
  s.exec.push({ pattern, count: 1, examples: [command], alternatives: [{ pattern, kind: 'exact', covers: 1 }] });
  return fragmentEdits(text, s, { file }).edits;
}

/** One edit turning `before` into `after`: the span between their common start and common end. */
export function wholeEdit(before: string, after: string): TextEdit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { offset: start, length: before.length - start - end, newText: after.slice(start, after.length - end) };
}
