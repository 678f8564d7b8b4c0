import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command';
import { normalizePath } from '../../core/glob/index';
import { isProjectRoot } from '../../core/learn/workspace-roots';
import { shellWord } from '../../core/shell/quote';
import { fsReason, UserError } from '../errors';
import { DEFAULT_OUTPUT, parseFormat, runAnalysis } from '../learn-report';
import { intOption } from '../options';
import { DEFAULT_POLICY, resolvePolicyPath } from '../policy-files';

const HELP = `Usage: rampart-learn analyze <file|dir>... [options]

Learns a policy fragment from calls an agent already made, without running a
new session. Inputs are detected per file (directories are searched for
*.jsonl / *.ndjson / *.json, following links):
  - rampart-learn audit logs (a gate's audit directory, rotated files included)
  - Rampart audit logs (schema_version "rampart.audit.v1")
  - Claude Code transcripts (~/.claude/projects/**/*.jsonl, or saved as a JSON
    array); sub-agent (sidechain) calls included
  - Claude Code PreToolUse hook logs (JSON array or JSON Lines of payloads)
  - check's call JSON Lines ({"tool": ..., "params": {...}})
  - agent-sessions JSON Lines ({"session","seq","agent","tool",...})
Files are streamed; unreadable lines are counted and reported as file:line,
never fatal.

With no input, analyze offers your Claude Code history in ~/.claude/projects:
it asks first on a terminal, and uses it (saying so on stderr) otherwise.

Options:
  --output FILE         where the fragment goes (text format: default
                        ./${DEFAULT_OUTPUT}; yaml/json: default stdout)
  --format FMT          text (summary on stdout + YAML file, default),
                        yaml (the fragment), json (suggestions for tools,
                        not a fragment \`apply\` reads)
  --policy FILE         active policy: what it already denies or asks is
                        reported, never suggested (default: ./${DEFAULT_POLICY}
                        if present, else the shipped standard policy)
  --since WHEN          only calls at or after WHEN: a date (2026-01-31,
                        2026-01-31T12:00Z) or a duration back from now (30m,
                        12h, 7d, 2w); calls without a timestamp are kept
  --agent NAME          only calls of this agent (e.g. claude-code)
  --session ID          only calls of this session
                        (filters that leave no call: exit 2, nothing written)
  --min-frequency N     suggest only patterns seen at least N times (default 1)
  --no-generalize       exact patterns only, no globs
  --no-companions       suggest only what the agents ran: not the other
                        inspection tools (head, tail, sleep …) once they used two
  --append              merge into an existing --output fragment instead of
                        overwriting it: patterns, inline tests and notes
                        (comments kept, nothing duplicated; not with json)
  --force               replace an existing --output file that is not an
                        earlier fragment (the policy in use is never replaced)
  --workspace DIR       project root: paths inside it may be generalised
                        (default: each session's usual working directory;
                        never a home directory or /)

Examples:
  rampart-learn analyze ~/.claude/projects/-home-me-proj/ --output learned.yaml
  rampart-learn analyze audit/ --since 7d --format json > suggestions.json
  rampart-learn apply learned.yaml --policy rampart.yaml

Exit status: 0 on success; 1 when the fragment's self-check still finds a
dangerous probe or a denied call it allows (the fragment is written, with the
problems listed at its end: do not apply it as it is); 2 on bad input
(unreadable policy, missing input, no recognisable input file, filters that
match no call, a --workspace that cannot be a project root).
`;

const DURATION = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/i;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `--since`: an absolute date or a duration back from `now`. */
export function parseSince(value: string, now = new Date()): Date {
  const m = DURATION.exec(value.trim());
  if (m) return new Date(now.getTime() - Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]!);
  const t = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) throw new UserError(`--since expects a date (2026-01-31) or a duration (30m, 12h, 7d), got "${value}"`);
  return new Date(t);
}

/** `--workspace`: an existing directory that can be a project root (else its paths would silently stay exact). */
export function workspaceOption(dir: string | undefined): string | undefined {
  if (dir === undefined) return undefined;
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (err) {
    throw new UserError(`--workspace ${dir}: ${fsReason(err)}`);
  }
  if (!isDir) throw new UserError(`--workspace ${dir}: not a directory`);
  const root = normalizePath(resolve(dir));
  if (!isProjectRoot(root)) throw new UserError(`--workspace ${dir}: a home folder, / or a top-level folder cannot be a project root; give the project's folder`);
  return root;
}

/** No inputs given: offer ~/.claude/projects. */
async function defaultInputs(): Promise<string[]> {
  const dir = join(homedir(), '.claude', 'projects');
  if (!existsSync(dir)) {
    throw new UserError(`no input given, and ${dir} does not exist; give audit logs, transcripts or hook logs (see --help)`);
  }
  if (process.stdin.isTTY && process.stderr.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = (await rl.question(`No input given. Analyze your Claude Code history in ${dir}? [Y/n] `)).trim().toLowerCase();
    rl.close();
    if (answer && answer !== 'y' && answer !== 'yes') throw new UserError('nothing to analyze (give inputs, see --help)', 1);
  } else {
    process.stderr.write(`rampart-learn: no input given; analyzing your Claude Code history in ${dir}\n`);
  }
  return [dir];
}

export const command: CliCommand = {
  name: 'analyze',
  summary: 'Learn a policy fragment from existing logs and transcripts',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o' },
        format: { type: 'string' },
        policy: { type: 'string' },
        since: { type: 'string' },
        agent: { type: 'string' },
        session: { type: 'string' },
        'min-frequency': { type: 'string' },
        'no-generalize': { type: 'boolean', default: false },
        'no-companions': { type: 'boolean', default: false },
        append: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        workspace: { type: 'string' },
      },
    });
    const format = parseFormat(values.format);
    const workspaceRoot = workspaceOption(values.workspace);
    const inputs = positionals.length ? positionals : await defaultInputs();
    return runAnalysis({
      inputs,
      policyPath: resolvePolicyPath(values.policy),
      output: values.output,
      format,
      minFrequency: intOption(values['min-frequency'], '--min-frequency', 1, 1),
      generalize: !values['no-generalize'],
      companions: !values['no-companions'],
      append: values.append,
      force: values.force,
      filter: {
        since: values.since === undefined ? undefined : parseSince(values.since),
        agent: values.agent,
        session: values.session,
      },
      commandLine: ['rampart-learn', 'analyze', ...argv].map(shellWord).join(' '),
      workspaceRoot,
    });
  },
};
