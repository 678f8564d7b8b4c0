// The learner's data model: what goes in (observed calls from any source) and
// what comes out (suggested patterns, warnings, and the fragment's own tests).
import type { Action, ToolCall } from '../types';

/** One call as observed, whatever its source (our audit log, Rampart's, Claude Code files, check JSONL). */
export interface ObservedCall extends ToolCall {
  /** ISO-8601, when the source has one. */
  timestamp?: string;
  /** The decision recorded at the time, when the source has one. */
  recordedAction?: Action;
  /** Where it came from, for error messages and relatedInformation: "file:line". */
  source?: string;
}

export type PatternKind = 'exact' | 'prefix' | 'glob';

export interface PatternAlternative {
  pattern: string;
  kind: PatternKind;
  /** How many observed calls of the group this pattern covers. */
  covers: number;
  /** `command_not_matches` guards that keep the pattern away from dangerous forms. */
  notMatches?: string[];
}

export interface PatternEntry {
  /** The default choice: the narrowest alternative that covers every observed call of its group safely. */
  pattern: string;
  notMatches?: string[];
  count: number;
  /** Up to 3 raw observed values. */
  examples: string[];
  /** Ranked narrowest to widest; includes the default. */
  alternatives: PatternAlternative[];
  /** A remark for the reviewer, e.g. that a fetch domain is a public registry. */
  note?: string;
}

export interface LearnWarning {
  tool: string;
  raw: string;
  reason: string;
  count: number;
}

/** A call the active policy already denies or asks: reported, never suggested. */
export interface HandledCall {
  tool: string;
  raw: string;
  action: Action;
  policy: string;
  count: number;
}

export interface SessionStats {
  totalEvents: number;
  byTool: Record<string, number>;
  /**
   * From the first to the last timestamp of each session, summed over the sessions; absent when no call
   * carries one (agent-sessions JSONL, check input).
   */
  durationMs?: number;
  /** Calls of a learned tool that named no command, path or URL (some exports omit the file), by tool. */
  withoutSubject?: Record<string, number>;
  /** The distinct agents, comma-separated (the first 8). */
  agent: string;
  /** The distinct session ids, comma-separated (the first 8; `sessionCount` counts them all). */
  session: string;
  sessionCount?: number;
  distinctCommands: number;
  /** Input lines that could not be read, as "file:line: reason" (first few) and a total. */
  badLines: { count: number; samples: string[] };
}

/** An inline `tests:` case of the generated fragment (Rampart test format). */
export interface LearnTestCase {
  name: string;
  tool: string;
  params: Record<string, string>;
  expect: Action;
}

export interface Suggestions {
  exec: PatternEntry[];
  read: PatternEntry[];
  write: PatternEntry[];
  fetch: PatternEntry[];
  warnings: LearnWarning[];
  handled: HandledCall[];
  /** Observed examples (expect allow) and generated dangerous probes (expect deny/ask under the layered policy). */
  tests: LearnTestCase[];
  stats: SessionStats;
  /** What the self-check found (all empty when the fragment is sound); set by the analyzer. */
  check?: LearnSelfCheck;
}

/** Suggestions with nothing in them, as a base for hand-picked rules. */
export function emptySuggestions(): Suggestions {
  return {
    exec: [], read: [], write: [], fetch: [], warnings: [], handled: [], tests: [],
    stats: { totalEvents: 0, byTool: {}, durationMs: 0, agent: '', session: '', distinctCommands: 0, badLines: { count: 0, samples: [] } },
  };
}

export interface LearnSelfCheck {
  /** Dangerous probes the fragment alone still allows after narrowing. */
  leaks: string[];
  /** Patterns that had to be narrowed because they let a probe through. */
  leakingPatterns: string[];
  /** Observed calls (not warned, not handled) the fragment does not allow. */
  notAllowed: string[];
  /** Calls the active policy denies or asks that the fragment layered over it allows. */
  regressions: string[];
}

export interface AnalyzerOptions {
  minFrequency?: number;
  generalize?: boolean;
  /** Suggest the other read-only inspection tools once the agent used two (companions.ts). Default true. */
  companions?: boolean;
  /** Extra sensitive path globs; the active policy's deny path globs and a built-in list are always used. */
  sensitivePaths?: string[];
  /** Workspace root: paths inside it may be generalised, paths outside stay exact. */
  workspaceRoot?: string;
}
