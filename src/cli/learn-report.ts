// Shared back half of `learn` (after the agent exits) and `analyze`: stream
// the observed calls through the Analyzer, write the fragment (or merge it
// into an existing one with --append), and print the terminal summary.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Analyzer } from '../core/learn/analyzer';
import { LEARN_JSON_SCHEMA, renderJson } from '../core/learn/format-json';
import { formatDuration, renderSummary, selfCheckFailed } from '../core/learn/format-summary';
import { grouped, plural } from '../core/plural';
import { renderFragment, REVIEW_HEADING, type FragmentMeta } from '../core/learn/format-yaml';
import { emptyImportStats, FORMAT_LABELS, importCallBatches, type ImportFilter, type ImportStats } from '../core/learn/importers/index';
import { appendToFragment, MergeError } from '../core/learn/merge';
import type { Suggestions } from '../core/learn/types';
import { loadPolicy, PolicyError, shippedPolicyPath, type PolicySet } from '../core/policy/index';
import { fsReason, UserError } from './errors';
import { printable } from '../core/printable';
import { sameFile } from '../core/same-file';
import { readTextHead } from '../core/text-file';
import { forStream } from './plain-text';
import { assertWritable, DEFAULT_POLICY, MAX_FRAGMENT_BYTES, readUserText, wantsColor, withFileLock, writeFileAtomic } from './policy-files';

export type LearnFormat = 'text' | 'yaml' | 'json';
export const LEARN_FORMATS: readonly LearnFormat[] = ['text', 'yaml', 'json'];
export const DEFAULT_OUTPUT = 'rampart-learn.yaml';
/** learn's file for --format json: never the YAML default, which `apply` and `test` read as a fragment. */
export const DEFAULT_JSON_OUTPUT = 'rampart-learn.json';

/** Refuses --append with JSON output: only YAML fragments merge, and overwriting would lose the earlier run. */
export function checkAppendFormat(format: LearnFormat, append: boolean): void {
  if (append && format === 'json') throw new UserError('--append merges YAML fragments; it cannot be used with --format json');
}

/**
 * Where `learn` writes: always a file, since its stdout is the agent's terminal. JSON goes to its own
 * default file, so it never replaces the YAML fragment of an earlier run.
 */
export function learnOutput(format: LearnFormat, output: string | undefined, append: boolean): string {
  checkAppendFormat(format, append);
  return output ?? (format === 'json' ? DEFAULT_JSON_OUTPUT : DEFAULT_OUTPUT);
}

export interface LearnSessionOptions {
  auditPaths: string[];
  policyPath: string;
  output: string;
  format: string;
  minFrequency: number;
  generalize: boolean;
  /** Default true (the Analyzer's default). */
  companions?: boolean;
  append: boolean;
  /** Replace an existing --output that is not an earlier fragment. */
  force?: boolean;
  agent: string;
  commandLine: string;
  durationMs: number;
  /** This session's start: an --audit-dir may also hold the calls of earlier sessions. */
  since?: Date;
}

/** Where the run writes: the process's streams, or others (tests). */
export interface LearnIO {
  out: NodeJS.WriteStream;
  err: NodeJS.WriteStream;
}

const PROCESS_IO: LearnIO = { out: process.stdout, err: process.stderr };

export interface AnalyzeRunOptions {
  inputs: string[];
  policyPath: string;
  /** Where the fragment goes; undefined means stdout (yaml/json) or ./rampart-learn.yaml (text). */
  output?: string;
  format: LearnFormat;
  minFrequency: number;
  generalize: boolean;
  /** Default true (the Analyzer's default). */
  companions?: boolean;
  append: boolean;
  /** Replace an existing --output that is not an earlier fragment. */
  force?: boolean;
  filter: ImportFilter;
  commandLine: string;
  /** Print the "Observed N tool calls…" line (learn prints its own before analysing). */
  announce?: boolean;
  /** Agent label of a live session, when the calls do not name one. */
  agent?: string;
  /** Wall-clock length of a live session; otherwise taken from the calls' timestamps. */
  durationMs?: number;
  workspaceRoot?: string;
}

export function parseFormat(value: string | undefined): LearnFormat {
  const format = (value ?? 'text') as LearnFormat;
  if (!LEARN_FORMATS.includes(format)) throw new UserError(`--format expects one of ${LEARN_FORMATS.join(', ')}, got "${value}"`);
  return format;
}

/** A shipped policy is never the file to apply to: the hint then names ./rampart.yaml. */
function isShippedPolicy(path: string): boolean {
  return (['standard', 'yolo', 'paranoid'] as const).some((name) => {
    try {
      return shippedPolicyPath(name) === path;
    } catch {
      return false; // not installed: then it is not this one
    }
  });
}

function loadActivePolicy(path: string): PolicySet {
  if (!existsSync(path)) throw new UserError(`policy ${path} does not exist`);
  try {
    return loadPolicy(path);
  } catch (err) {
    if (err instanceof PolicyError) throw new UserError(err.message.split('\n')[0]!);
    throw err;
  }
}

/** Streams every input through the Analyzer. */
export async function analyzeInputs(
  inputs: string[],
  opts: { policy: PolicySet; minFrequency: number; generalize: boolean; companions?: boolean; filter: ImportFilter; workspaceRoot?: string },
): Promise<{ suggestions: Suggestions; stats: ImportStats }> {
  for (const input of inputs) {
    try {
      statSync(input);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UserError(`input ${input} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (err as Error).message})`}`);
    }
  }
  const stats = emptyImportStats();
  const analyzer = new Analyzer({
    policy: opts.policy,
    minFrequency: opts.minFrequency,
    generalize: opts.generalize,
    companions: opts.companions,
    workspaceRoot: opts.workspaceRoot,
  });
  for await (const batch of importCallBatches(inputs, opts.filter, stats)) for (const call of batch) analyzer.add(call);
  const suggestions = analyzer.finish();
  suggestions.stats.badLines = stats.badLines;
  return { suggestions, stats };
}

function describeInputs(stats: ImportStats): string {
  const formats = Object.entries(stats.byFormat).map(([f, n]) => `${grouped(n)} from ${FORMAT_LABELS[f as keyof typeof FORMAT_LABELS]}`);
  // The files read: those skipped (empty, not a known format) are named in warnings, not counted here.
  const read = stats.files - stats.empty.length - stats.unrecognised.length;
  return `${plural(read, 'file')}${formats.length ? ` (${formats.join(', ')})` : ''}`;
}

/** Whether a file's first bytes are those of a fragment (YAML or JSON) that learn or analyze wrote. */
function isLearnedFragment(file: string): boolean {
  let head: string;
  try {
    head = readTextHead(file, 4096);
  } catch {
    return false;
  }
  return head.includes(`"schema": "${LEARN_JSON_SCHEMA}"`) || (/^# Generated by: /m.test(head) && head.includes(REVIEW_HEADING));
}

/** Why no file can be created in `dir`, or undefined when one can. */
function directoryProblem(dir: string): string | undefined {
  try {
    if (!statSync(dir).isDirectory()) return 'not a directory';
    accessSync(dir, constants.W_OK);
    return undefined;
  } catch (err) {
    return fsReason(err);
  }
}

/** Refuses an --output that cannot be written: a directory, or a file whose directory is missing, not one, or not writable. */
function checkWritablePath(file: string): void {
  if (existsSync(file) && statSync(file).isDirectory()) throw new UserError(`--output ${file} is a directory; give a file name`);
  const problem = directoryProblem(dirname(file));
  if (problem) throw new UserError(`--output ${file}: cannot write in ${dirname(file)}: ${problem}`);
}

/**
 * Refuses an --output that cannot be written, or that would replace something
 * the user cares about: the policy in use (a file, or a file of the policy
 * directory), or, without `force`, any file that is not an earlier fragment.
 * Called before an agent runs, so a session is never recorded only to find
 * nowhere to write.
 */
export function checkOutputTarget(file: string, opts: { policyPath: string; append: boolean; force?: boolean }): void {
  checkWritablePath(file);
  if (!existsSync(file)) return;
  assertWritable(file);
  // A policy that does not exist is not the output's; the gate reports it when it loads the policy.
  const policyFile = sameFile(file, opts.policyPath) || (existsSync(opts.policyPath) && statSync(opts.policyPath).isDirectory() && sameFile(dirname(resolve(file)), opts.policyPath));
  // --append would change the policy without apply's backup and lint check, and add the fragment's
  // probe tests, which expect deny where the policy's default_action may allow.
  if (policyFile) {
    const why = opts.append ? '--append merges into a fragment, not into the policy' : 'writing the fragment there would replace it';
    throw new UserError(`${file} is the policy in use: ${why}; choose another --output, then merge it with \`rampart-learn apply\` (backup + diff)`);
  }
  if (opts.append) return;
  if (!opts.force && !isLearnedFragment(file)) {
    throw new UserError(`${file} exists and is not a fragment rampart-learn wrote; choose another --output, merge into it with --append, or replace it with --force`);
  }
}

/** Writes the fragment, or merges the suggestions into an existing one; returns a note on what happened. */
function writeFragment(file: string, body: string, append: { suggestions: Suggestions; meta: FragmentMeta } | undefined): string {
  if (!append || !existsSync(file)) {
    writeFileAtomic(file, body);
    return `Written to: ${file}`;
  }
  return withFileLock(file, () => {
    try {
      const earlier = readUserText(file, '--append file', MAX_FRAGMENT_BYTES);
      const merged = appendToFragment(earlier, append.suggestions, append.meta, { file, fragmentFile: '(new suggestions)' });
      if (merged.text === earlier) return `Nothing new to append to ${file}`;
      writeFileAtomic(file, merged.text);
      return `Appended ${plural(merged.added.length, 'new pattern')} and ${plural(merged.tests, 'test')} to ${file}`;
    } catch (err) {
      if (err instanceof MergeError) throw new UserError(`--append: ${err.message}`);
      throw err;
    }
  });
}

/** Refuses inputs with nothing to analyse; warns about the files skipped. */
function checkInputFiles(stats: ImportStats, inputs: string[], io: LearnIO): void {
  if (stats.files === 0) throw new UserError(`no .jsonl or .json files found in ${inputs.join(', ')}`);
  if (stats.unrecognised.length + stats.empty.length === stats.files) {
    if (!stats.unrecognised.length) throw new UserError(`${stats.empty[0]}: the file is empty; nothing to analyze`);
    throw new UserError(`${stats.unrecognised[0]}:1: not a format analyze knows (audit log, Claude Code transcript or hook log, check or agent-sessions JSONL)`);
  }
  for (const file of stats.empty) io.err.write(`rampart-learn: warning: ${printable(file)}: empty file, skipped\n`);
  for (const file of stats.unrecognised) io.err.write(`rampart-learn: warning: ${printable(file)}: format not recognised, skipped\n`);
}

/** A flag as the user would type it again (quoted when it holds a space). */
function flag(name: string, value: string): string {
  return `${name} ${/[\s'"]/.test(value) ? JSON.stringify(value) : value}`;
}

/** Says that the filters left no call, and what the inputs held instead. */
function noMatchError(stats: ImportStats, filter: ImportFilter): UserError {
  const given: string[] = [];
  const seen: string[] = [];
  const some = (values: Set<string>, n: number) => [...values].slice(0, n).join(', ') + (values.size > n ? ', …' : '');
  if (filter.agent !== undefined) {
    given.push(flag('--agent', filter.agent));
    seen.push(stats.seen.agents.size ? `agents seen: ${some(stats.seen.agents, 8)}` : 'no call names its agent');
  }
  if (filter.session !== undefined) {
    given.push(flag('--session', filter.session));
    seen.push(stats.seen.sessions.size ? `${plural(stats.seen.sessions.size, 'session')} seen: ${some(stats.seen.sessions, 3)}` : 'no call names its session');
  }
  if (filter.since) {
    given.push(flag('--since', filter.since.toISOString()));
    if (Number.isFinite(stats.seen.latest)) seen.push(`the latest call is from ${new Date(stats.seen.latest).toISOString()}`);
  }
  const n = stats.filtered;
  return new UserError(`0 of ${grouped(n)} call${n === 1 ? ' matches' : 's match'} ${given.join(' ')}${seen.length ? ` (${seen.join('; ')})` : ''}; nothing written`);
}

/** `over 3m 12s`, `over 2h 5m 0s in 15 sessions`, `with no timestamps`; nothing when there was no call. */
function timing(calls: number, s: Suggestions['stats']): string {
  if (!calls) return '';
  if (s.durationMs === undefined) return ' with no timestamps';
  const sessions = s.sessionCount ?? 0;
  return ` over ${formatDuration(s.durationMs)}${sessions > 1 ? ` in ${sessions} sessions` : ''}`;
}

/** The whole analyze-and-report run; resolves to the exit code. */
export async function runAnalysis(opts: AnalyzeRunOptions, io: LearnIO = PROCESS_IO): Promise<number> {
  checkAppendFormat(opts.format, opts.append);
  const policy = loadActivePolicy(opts.policyPath);
  const output = opts.output ?? (opts.format === 'text' ? DEFAULT_OUTPUT : undefined);
  if (output) checkOutputTarget(output, { policyPath: opts.policyPath, append: opts.append, force: opts.force });
  const { suggestions, stats } = await analyzeInputs(opts.inputs, {
    policy,
    minFrequency: opts.minFrequency,
    generalize: opts.generalize,
    companions: opts.companions,
    filter: opts.filter,
    workspaceRoot: opts.workspaceRoot,
  });
  checkInputFiles(stats, opts.inputs, io);
  // Before anything is written: an existing --output stays as it was.
  if (!stats.calls && stats.filtered) throw noMatchError(stats, opts.filter);
  // --since keeps calls without a time: when none has one, the filter did nothing, which the user must hear.
  if (opts.filter?.since && stats.calls && !Number.isFinite(stats.seen.latest)) {
    io.err.write(`rampart-learn: warning: --since: none of the ${plural(stats.calls, 'call')} carries a time, so none was left out\n`);
  }
  if (opts.durationMs !== undefined) suggestions.stats.durationMs = opts.durationMs;
  if (opts.agent && !suggestions.stats.agent) suggestions.stats.agent = opts.agent;

  const meta: FragmentMeta = {
    generatedBy: opts.commandLine,
    generatedAt: new Date(),
    durationMs: suggestions.stats.durationMs,
    toolCalls: suggestions.stats.totalEvents,
    sessions: suggestions.stats.sessionCount,
    outputName: output,
  };
  const body = opts.format === 'json' ? renderJson(suggestions, meta) : renderFragment(suggestions, meta);
  // Machine-readable output keeps stdout to itself; the human notes go to stderr.
  const human = opts.format === 'text' ? io.out : io.err;
  if (opts.announce !== false) human.write(`Observed ${plural(stats.calls, 'tool call')}${timing(stats.calls, suggestions.stats)} in ${describeInputs(stats)}.\n`);

  let note: string | undefined;
  if (output) note = writeFragment(output, body, opts.append ? { suggestions, meta } : undefined);
  else io.out.write(body);

  // The summary's own plain mode drops colour and its symbols; forStream also spells out the `…` of cut examples.
  const shipped = isShippedPolicy(opts.policyPath);
  const summary = renderSummary(suggestions, {
    outputPath: output,
    json: opts.format === 'json',
    policyPath: shipped ? undefined : opts.policyPath,
    needsInit: shipped && !existsSync(DEFAULT_POLICY),
    color: wantsColor(human),
    badLines: stats.badLines,
  });
  human.write(forStream(human, summary));
  if (note && !note.startsWith('Written')) human.write(`${note}\n`);
  // The fragment is written so it can be reviewed, but a script must not take it for a sound one.
  return selfCheckFailed(suggestions) ? 1 : 0;
}

/** Called by `learn` once the agent has exited. */
export async function reportLearnSession(opts: LearnSessionOptions, io: LearnIO = PROCESS_IO): Promise<number> {
  if (!opts.auditPaths.length) {
    io.err.write(
      forStream(
        io.err,
        'No tool calls were observed: nothing to learn, no fragment written.\n' +
          'The shim sees each command an agent runs through its shell ($SHELL -c …), as Claude Code, Codex and aider do.\n' +
          'The lines of a shell script run as the agent are not seen one by one: have it run them with "$SHELL" -c \'…\'.\n',
      ),
    );
    return 0;
  }
  return runAnalysis({
    announce: false,
    inputs: opts.auditPaths,
    policyPath: opts.policyPath,
    output: opts.output,
    format: parseFormat(opts.format),
    minFrequency: opts.minFrequency,
    generalize: opts.generalize,
    companions: opts.companions,
    append: opts.append,
    force: opts.force,
    filter: { since: opts.since },
    commandLine: opts.commandLine,
    agent: opts.agent,
    durationMs: opts.durationMs,
    workspaceRoot: process.cwd(),
  }, io);
}
