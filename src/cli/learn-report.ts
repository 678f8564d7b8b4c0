// Shared back half of `learn` (after the agent exits) and `analyze`: stream
// the observed calls through the Analyzer, write the fragment (or merge it
// into an existing one with --append), and print the terminal summary.
import { existsSync, readFileSync } from 'node:fs';
import { Analyzer } from '../core/learn/analyzer';
import { renderJson } from '../core/learn/format-json';
import { formatDuration, renderSummary } from '../core/learn/format-summary';
import { renderFragment, type FragmentMeta } from '../core/learn/format-yaml';
import { emptyImportStats, FORMAT_LABELS, importCallBatches, type ImportFilter, type ImportStats } from '../core/learn/importers/index';
import { applyFragment, MergeError } from '../core/learn/merge';
import type { Suggestions } from '../core/learn/types';
import { loadPolicy, PolicyError, shippedPolicyPath, type PolicySet } from '../core/policy/index';
import { UserError } from './errors';
import { wantsColor, writeFileAtomic } from './policy-files';

export type LearnFormat = 'text' | 'yaml' | 'json';
export const LEARN_FORMATS: readonly LearnFormat[] = ['text', 'yaml', 'json'];
export const DEFAULT_OUTPUT = 'rampart-learn.yaml';

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
  agent: string;
  commandLine: string;
  durationMs: number;
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
  if (!existsSync(path)) throw new UserError(`policy ${path} does not exist (use --policy)`);
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
    if (!existsSync(input)) throw new UserError(`input ${input} does not exist`);
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
  const formats = Object.entries(stats.byFormat).map(([f, n]) => `${n} from ${FORMAT_LABELS[f as keyof typeof FORMAT_LABELS]}`);
  return `${stats.files} file${stats.files === 1 ? '' : 's'}${formats.length ? ` (${formats.join(', ')})` : ''}`;
}

/** Writes the fragment, or merges it into an existing one; returns a note on what happened. */
function writeFragment(file: string, text: string, append: boolean): string {
  if (!append || !existsSync(file)) {
    writeFileAtomic(file, text);
    return `Written to: ${file}`;
  }
  try {
    const merged = applyFragment(readFileSync(file, 'utf8'), text, { file, fragmentFile: '(new suggestions)' });
    if (merged.added.length) writeFileAtomic(file, merged.text);
    return `Appended ${merged.added.length} new pattern${merged.added.length === 1 ? '' : 's'} to ${file}`;
  } catch (err) {
    if (err instanceof MergeError) throw new UserError(`--append: ${err.message}`);
    throw err;
  }
}

/** The whole analyze-and-report run; resolves to the exit code. */
export async function runAnalysis(opts: AnalyzeRunOptions, io: LearnIO = PROCESS_IO): Promise<number> {
  const policy = loadActivePolicy(opts.policyPath);
  const { suggestions, stats } = await analyzeInputs(opts.inputs, {
    policy,
    minFrequency: opts.minFrequency,
    generalize: opts.generalize,
    companions: opts.companions,
    filter: opts.filter,
    workspaceRoot: opts.workspaceRoot,
  });
  if (stats.files === 0) throw new UserError(`no .jsonl or .json files found in ${opts.inputs.join(', ')}`);
  if (stats.unrecognised.length === stats.files) {
    throw new UserError(`${stats.unrecognised[0]}:1: not a format analyze knows (audit log, Claude Code transcript or hook log, check or agent-sessions JSONL)`);
  }
  for (const file of stats.unrecognised) io.err.write(`rampart-learn: warning: ${file}: format not recognised, skipped\n`);
  if (opts.durationMs !== undefined) suggestions.stats.durationMs = opts.durationMs;
  if (opts.agent && !suggestions.stats.agent) suggestions.stats.agent = opts.agent;

  const output = opts.output ?? (opts.format === 'text' ? DEFAULT_OUTPUT : undefined);
  const meta: FragmentMeta = {
    generatedBy: opts.commandLine,
    generatedAt: new Date(),
    durationMs: suggestions.stats.durationMs,
    toolCalls: suggestions.stats.totalEvents,
    outputName: output,
  };
  const body = opts.format === 'json' ? renderJson(suggestions, meta) : renderFragment(suggestions, meta);
  // Machine-readable output keeps stdout to itself; the human notes go to stderr.
  const human = opts.format === 'text' ? io.out : io.err;
  if (opts.announce !== false) human.write(`Observed ${stats.calls} tool call${stats.calls === 1 ? '' : 's'} ${suggestions.stats.durationMs === undefined ? 'with no timestamps' : `over ${formatDuration(suggestions.stats.durationMs)}`} in ${describeInputs(stats)}.\n`);

  let note: string | undefined;
  if (output) note = writeFragment(output, body, opts.append && opts.format !== 'json');
  else io.out.write(body);

  human.write(
    renderSummary(suggestions, {
      outputPath: output,
      policyPath: isShippedPolicy(opts.policyPath) ? undefined : opts.policyPath,
      color: wantsColor(human),
      badLines: stats.badLines,
    }),
  );
  if (note && !note.startsWith('Written')) human.write(`${note}\n`);
  return 0;
}

/** Called by `learn` once the agent has exited. */
export async function reportLearnSession(opts: LearnSessionOptions, io: LearnIO = PROCESS_IO): Promise<number> {
  if (!opts.auditPaths.length) {
    io.err.write(
      'No tool calls were observed: nothing to learn, no fragment written.\n' +
        'The shim sees each command an agent runs through its shell ($SHELL -c …), as Claude Code, Codex and aider do.\n' +
        'The lines of a shell script run as the agent are not seen one by one: have it run them with "$SHELL" -c \'…\'.\n',
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
    filter: {},
    commandLine: opts.commandLine,
    agent: opts.agent,
    durationMs: opts.durationMs,
    workspaceRoot: process.cwd(),
  }, io);
}
