// Data model of the policy engine: diagnostics with exact source ranges, the
// compiled policy set, and the test cases a policy file carries.
import type { Action, ToolName, ToolParams } from '../types';
import type { PatternGroup } from './prefilter';

export interface PolicyDiagnostic {
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** 0-based character offsets into the file text. */
  offset: number;
  endOffset: number;
  severity: 'error' | 'warning';
  /** Stable identifier, e.g. 'unknown-key', 'deprecated-log'. */
  code: string;
  message: string;
  /** e.g. "did you mean command_matches?" */
  hint?: string;
}

/** A [start, end) range of character offsets in one file. */
export interface Span {
  file: string;
  start: number;
  end: number;
}

export type ConditionKey =
  | 'command_matches'
  | 'command_not_matches'
  | 'command_contains'
  | 'path_matches'
  | 'path_not_matches'
  | 'domain_matches'
  | 'url_matches';

/** One pattern string as written, with where it was written. */
export interface SourcePattern {
  value: string;
  span: Span;
}

/** A compiled command glob. */
export interface CommandPattern {
  source: string;
  /** Written with shell operators, so it is matched against the whole command. */
  compound: boolean;
  /** The pattern in canonical flag spelling, when that differs (`rm -fr *` → `rm -rf *`). */
  canonical?: string;
  /**
   * A granting pattern that names its program by a path: the directory the
   * program must be run from (`./`, `scripts/`, `/usr/bin/`), normalised by normalProgramDir.
   */
  program?: string;
  test(command: string): boolean;
}

export interface CompiledRule {
  index: number;
  action: Action;
  /** deny and ask match if ANY part of a call matches; allow and watch need EVERY part. */
  restrictive: boolean;
  message?: string;
  /** Empty `when` or `default: true`: matches every call in scope. */
  catchAll: boolean;
  /** The conditions as written (for lint, the learner and the extension). */
  when: Partial<Record<ConditionKey, SourcePattern[]>> & { default?: boolean };
  /** Which kinds of condition `when` holds (read on every evaluation, so not looked up in `when`). */
  checks: { command: boolean; path: boolean; domain: boolean; url: boolean };
  commandMatches: CommandPattern[];
  commandNotMatches: CommandPattern[];
  commandContains: string[];
  /** The command patterns grouped for evaluation: all, simple, compound, and the narrowing ones. */
  commandGroups: { all: PatternGroup; simple: PatternGroup; compound: PatternGroup; not: PatternGroup };
  pathMatches: ((path: string) => boolean)[];
  pathNotMatches: ((path: string) => boolean)[];
  domainMatches: ((host: string) => boolean)[];
  urlMatches: ((url: string) => boolean)[];
  span: Span;
  actionSpan: Span;
  /** Span of the `when` value, or of the rule when `when` is absent. */
  whenSpan: Span;
}

export interface CompiledPolicy {
  name: string;
  description?: string;
  /** As written (undefined when omitted). */
  priority?: number;
  /** Used for ordering: omitted or 0 means 100. */
  effectivePriority: number;
  enabled: boolean;
  match: { tool?: string[]; agent?: string[]; session?: string[] };
  rules: CompiledRule[];
  file: string;
  span: Span;
  nameSpan: Span;
  /** Load order, the tie-breaker between equal priorities. */
  order: number;
  /** Compiled `match` globs; undefined means "any". */
  inScope(call: { tool: ToolName; agent?: string; session?: string }): boolean;
  matchesTool(tool: ToolName): boolean;
  /** The agent and session part of `inScope`; undefined when the policy names neither. */
  matchesCaller?: (call: { agent?: string; session?: string }) => boolean;
}

export interface PolicyTestCase {
  name: string;
  tool: ToolName;
  agent?: string;
  session?: string;
  cwd?: string;
  params: ToolParams;
  /** `log` is normalised to `watch`. */
  expect: Action;
  /** Glob over the decision message. */
  expectMessage?: string;
  span: Span;
  /** 1-based line where the case starts, for reports. */
  line: number;
}

export interface PolicySet {
  files: string[];
  defaultAction: Action;
  /** Sorted by effective priority, then load order. */
  policies: CompiledPolicy[];
  tests: PolicyTestCase[];
  /** Where `default_action` was set, when it was. */
  defaultActionSpan?: Span;
}
