// A deny rule for one command, added to a policy by the same merge as learned
// rules: what a reviewer asks for after the model (or their own label) flagged
// a command unsafe. The rule lives in its own policy, so it is easy to find
// and to remove, and a deny outranks every allow whatever the policy order.
import { Document, Scalar } from 'yaml';
import { escapeGlob } from './dangerous-forms';
import { fragmentEdits, type TextEdit } from './merge';

/** The policy that collects reviewer-made deny rules. */
export const REVIEW_DENY_POLICY = 'denied-after-review';
/** Longer commands are refused: a rule nobody can read is not a reviewed rule. */
export const MAX_DENY_COMMAND = 2000;

/** The exact command as a command glob: glob characters escaped, shell operators matched by `?`. */
export function denyPatternFor(command: string): string {
  const trimmed = command.trim();
  if (!trimmed) throw new Error('cannot deny an empty command');
  if (trimmed.length > MAX_DENY_COMMAND) {
    throw new Error(`the command is ${trimmed.length} characters long (limit ${MAX_DENY_COMMAND}); write a narrower deny rule by hand`);
  }
  return escapeGlob(trimmed);
}

function denyFragment(pattern: string, message: string): Document {
  const doc = new Document();
  const quotedPattern = new Scalar(pattern);
  quotedPattern.type = Scalar.QUOTE_DOUBLE;
  doc.contents = doc.createNode({
    policies: [
      {
        name: REVIEW_DENY_POLICY,
        match: { tool: ['exec'] },
        rules: [{ action: 'deny', when: { command_matches: [quotedPattern] }, message }],
      },
    ],
  });
  return doc;
}

/**
 * The minimal edits that add a deny rule for `command` to `policyText`
 * (comments and formatting kept); empty when the same rule is already there.
 * Throws a MergeError with `file:line:col` when the policy cannot take it.
 */
export function denyRuleEdits(policyText: string, command: string, opts: { file?: string; message?: string } = {}): { edits: TextEdit[]; pattern: string } {
  const pattern = denyPatternFor(command);
  const fragment = denyFragment(pattern, opts.message ?? 'Denied after review (rampart-learn)');
  const { edits } = fragmentEdits(policyText, fragment, { file: opts.file });
  return { edits, pattern };
}
