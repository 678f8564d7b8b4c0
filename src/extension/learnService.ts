// Runs the core analyzer over recorded calls (our audit logs, or Claude Code
// history) against a folder's policy, and remembers where each example came
// from so diagnostics can point at it.
import * as vscode from 'vscode';
import type { ObservedCall } from '../core/learn/types';
import type { ImportStats } from '../core/learn/importers';
import type { LearnResult } from './learnState';
import type { SuggestionKind } from './learnedDiagnostics';

export interface AnalyzeOptions {
  policyFile: string;
  workspaceRoot: string;
  minFrequency: number;
  /** Human-readable origin for messages. */
  origin: string;
  session?: string;
}

function kindOf(call: ObservedCall): SuggestionKind | undefined {
  const t = String(call.tool);
  if (t === 'exec' || t === 'read' || t === 'fetch') return t;
  return t === 'write' || t === 'edit' ? 'write' : undefined;
}

/** "file:line" → a Location on that line. */
function sourceLocation(source: string | undefined): vscode.Location | undefined {
  const m = source && /^(.*):(\d+)$/.exec(source);
  if (!m) return undefined;
  const line = Math.max(0, Number(m[2]) - 1);
  return new vscode.Location(vscode.Uri.file(m[1]), new vscode.Range(line, 0, line, 0));
}

export async function analyzeRecorded(paths: string[], opts: AnalyzeOptions): Promise<LearnResult & { stats: ImportStats }> {
  const [{ importCalls, emptyImportStats }, { Analyzer }, { loadPolicy }] = await Promise.all([
    import('../core/learn/importers'),
    import('../core/learn/analyzer'),
    import('../core/policy'),
  ]);
  const stats = emptyImportStats();
  const calls: ObservedCall[] = [];
  const examples = new Map<string, vscode.Location>();
  for await (const call of importCalls(paths, opts.session ? { session: opts.session } : {}, stats)) {
    calls.push(call);
    const kind = kindOf(call);
    const raw = call.params.command ?? call.params.path ?? call.params.url;
    const loc = sourceLocation(call.source);
    if (kind && typeof raw === 'string' && loc && !examples.has(`${kind}\0${raw}`)) examples.set(`${kind}\0${raw}`, loc);
  }
  const policy = loadPolicy(opts.policyFile);
  const suggestions = new Analyzer({ minFrequency: opts.minFrequency, policy, workspaceRoot: opts.workspaceRoot }).analyze(calls);
  return { suggestions, examples, origin: opts.origin, calls, stats };
}
