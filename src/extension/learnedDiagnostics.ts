// Learned suggestions (the analyzer's output for the latest session) as
// diagnostics on a policy file: Information on the policy they would join
// (`learned-<tool>`) or on `policies:`, plus sensitive-access warnings that are
// never offered as a fix.
import * as vscode from 'vscode';
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { PatternEntry, Suggestions } from '../core/learn/types';
import { isCompanion } from '../core/learn/companions';
import { oneLine } from '../core/printable';
import { LineIndex } from './ranges';
import { DIAGNOSTIC_SOURCE } from './lintDiagnostics';

export type SuggestionKind = 'exec' | 'read' | 'write' | 'fetch';
export const SUGGESTION_KINDS: readonly SuggestionKind[] = ['exec', 'read', 'write', 'fetch'];

export const LEARNED_CODE = 'learned-rule';
export const SENSITIVE_CODE = 'sensitive-access';

/** One suggestion shown on the file; `id` is stable across sessions (for "dismiss"). */
export interface LearnedFinding {
  id: string;
  kind: SuggestionKind;
  entry: PatternEntry;
  diagnostic: vscode.Diagnostic;
}

export function suggestionId(kind: SuggestionKind, entry: PatternEntry): string {
  return `${kind}:${entry.pattern}`;
}

/** "git *" → "git …", for messages; exact commands stay as they are. */
function shortPattern(pattern: string): string {
  return pattern.replace(/ \*$/, ' …');
}

/**
 * What a suggestion says about its calls. Under `default_action: allow` they
 * ran anyway: the rule only matters if the default changes.
 */
export function findingMessage(kind: SuggestionKind, e: PatternEntry, allowedByDefault = false): string {
  const n = e.count;
  const s = n === 1 ? '' : 's';
  const why = allowedByDefault ? 'that only `default_action: allow` lets through; a rule keeps them allowed if the default changes' : 'that this policy does not allow';
  switch (kind) {
    case 'exec':
      if (isCompanion(e)) return `\`${shortPattern(e.pattern)}\`: ${e.note ?? 'Not observed'}`;
      return `Agent ran ${n} \`${shortPattern(e.pattern)}\` command${s} ${why}`;
    case 'read':
      return `Agent read ${n} path${s} matching \`${e.pattern}\` ${why}`;
    case 'write':
      return `Agent wrote ${n} path${s} matching \`${e.pattern}\` ${why}`;
    case 'fetch':
      return `Agent fetched ${n} URL${s} on \`${e.pattern}\` ${why}`;
  }
}

/** The policy's `default_action` as written (undefined when absent or unreadable). */
export function defaultActionOf(text: string): string | undefined {
  try {
    const root = parseDocument(text, { keepSourceTokens: false }).contents;
    const value = isMap(root) ? root.get('default_action') : undefined;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Offsets of the node a suggestion of `kind` is anchored on. */
export function anchorOffsets(text: string, kind: SuggestionKind): [number, number] {
  let doc;
  try {
    doc = parseDocument(text, { keepSourceTokens: false });
  } catch {
    return [0, 0];
  }
  const root = doc.contents;
  if (!isMap(root)) return [0, 0];
  const pair = root.items.find((p) => isScalar(p.key) && p.key.value === 'policies');
  if (!pair) return [0, 0];
  const policies = pair.value;
  if (isSeq(policies)) {
    for (const item of policies.items) {
      if (!isMap(item)) continue;
      const name = item.items.find((p) => isScalar(p.key) && p.key.value === 'name');
      if (name && isScalar(name.value) && name.value.value === `learned-${kind}` && name.value.range) return [name.value.range[0], name.value.range[1]];
    }
  }
  const key = pair.key as Node;
  return key.range ? [key.range[0], key.range[1]] : [0, 0];
}

export interface LearnedDiagnosticsInput {
  text: string;
  suggestions: Suggestions;
  dismissed: ReadonlySet<string>;
  /** Where an observed example came from (audit log line), for relatedInformation. */
  exampleLocation?: (kind: SuggestionKind, example: string) => vscode.Location | undefined;
}

export function learnedDiagnostics(input: LearnedDiagnosticsInput): { findings: LearnedFinding[]; warnings: vscode.Diagnostic[] } {
  const index = new LineIndex(input.text);
  const anchors = new Map<SuggestionKind, vscode.Range>();
  const anchor = (kind: SuggestionKind) => {
    let r = anchors.get(kind);
    if (!r) anchors.set(kind, (r = index.range(...anchorOffsets(input.text, kind))));
    return r;
  };
  const allowedByDefault = defaultActionOf(input.text) === 'allow';
  const findings: LearnedFinding[] = [];
  for (const kind of SUGGESTION_KINDS) {
    for (const entry of input.suggestions[kind]) {
      const id = suggestionId(kind, entry);
      if (input.dismissed.has(id)) continue;
      const d = new vscode.Diagnostic(anchor(kind), findingMessage(kind, entry, allowedByDefault), vscode.DiagnosticSeverity.Information);
      d.source = DIAGNOSTIC_SOURCE;
      d.code = LEARNED_CODE;
      const related = entry.examples.flatMap((ex) => {
        const loc = input.exampleLocation?.(kind, ex);
        return loc ? [new vscode.DiagnosticRelatedInformation(loc, `observed: ${ex}`)] : [];
      });
      if (related.length) d.relatedInformation = related;
      findings.push({ id, kind, entry, diagnostic: d });
    }
  }
  const warnings = input.suggestions.warnings.map((w) => {
    const raw = oneLine(w.raw, 80);
    const d = new vscode.Diagnostic(
      anchor('exec'),
      `Agent ${w.tool === 'exec' ? 'ran' : `used ${w.tool} on`} \`${raw}\`${w.count > 1 ? ` (${w.count}×)` : ''}: ${w.reason}. Not suggested: review why it was needed, and allow it by hand if it must run.`,
      vscode.DiagnosticSeverity.Warning,
    );
    d.source = DIAGNOSTIC_SOURCE;
    d.code = SENSITIVE_CODE;
    return d;
  });
  return { findings, warnings };
}
