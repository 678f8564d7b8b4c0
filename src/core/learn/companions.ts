// Companion suggestions: agents reach for the read-only inspection tools
// interchangeably (`head` in one session, `tail` or `ls` in the next), so a
// session that used several of them gets the rest suggested too, each with its
// binary's guards, instead of a prompt the first time the agent picks another.
// Likewise a package manager seen running project scripts gets its test
// shortcut (`npm test` runs the script `npm run test` would).
// They are marked as not observed, are probed and narrowed by the self-check
// like every other pattern, and are never made under `--no-generalize` or
// `--min-frequency` above 1 (they were seen no times at all).
import type { Shape } from './command-shape';
import { onlyRunsScripts, subcommandSpec } from './dangerous-forms';
import type { ComponentStat } from './exec-patterns';

/** Tools that print what is in the working tree and change nothing (their writing options are guarded): using them is the evidence. */
export const INSPECTION_TOOLS: readonly string[] = ['ls', 'cat', 'head', 'tail', 'wc', 'grep', 'find', 'echo', 'pwd', 'sleep'];

/**
 * The inspection tools suggested as companions, those an agent most often
 * picks up later first. `wc` and `pwd` count as evidence but are not
 * suggested: in the real sessions of shared data, an agent that had not run
 * them by half-time ran them later for 5 of 71 suggestions, against about 1
 * in 3 for the others.
 */
export const COMPANION_TOOLS: readonly string[] = ['ls', 'cat', 'head', 'tail', 'echo', 'grep', 'sleep', 'find'];

/** Distinct inspection tools a session must have used before the others are suggested. */
export const MIN_INSPECTION_TOOLS_USED = 2;

/**
 * Distinct commands a session must have run in learned forms: a session of two
 * or three commands (however long their pipelines) says too little about how
 * the agent works to add patterns it never ran.
 */
export const MIN_DISTINCT_COMMANDS = 4;

/** Companions per distinct command run: never more patterns the agent did not run than commands it did. */
export const COMPANIONS_PER_COMMAND = 1;

/** Whether an entry is a companion: the only suggestions never observed, so their count is 0. */
export function isCompanion(entry: { count: number }): boolean {
  return entry.count === 0;
}

/** The reviewer's note on an inspection-tool companion. */
function inspectionNote(used: readonly string[]): string {
  return `Not observed: suggested with the inspection tools the agent ran (${used.join(', ')})`;
}

const stat = (argv: string[]): ComponentStat => ({ text: argv.join(' '), argv, binary: argv[0], count: 0, examples: [] });

/**
 * Stand-in components (count 0: never observed) for the companions of a
 * session, with the reviewer's note for each companion binary:
 * - the inspection tools it did not run in any form (`ran`), in COMPANION_TOOLS
 *   order and at most COMPANIONS_PER_COMMAND per distinct command it ran in
 *   learned forms (`commands`; without it, the distinct components); none when
 *   those are fewer than MIN_DISTINCT_COMMANDS or the components it ran in
 *   learned forms (`learned`: a warned use is no evidence) use fewer than
 *   MIN_INSPECTION_TOOLS_USED inspection tools. Each tool appears bare and with
 *   a file, so it generalises like a tool the agent ran both ways;
 * - the test shortcut of each package manager whose learned `shapes` only run
 *   project scripts.
 */
export function companionStats(ran: ReadonlySet<string>, learned: readonly ComponentStat[], shapes: Iterable<Shape>, commands?: number): { stats: ComponentStat[]; notes: Map<string, string> } {
  const stats: ComponentStat[] = [];
  const notes = new Map<string, string>();
  const binaries = new Set(learned.map((c) => c.binary));
  const used = INSPECTION_TOOLS.filter((t) => binaries.has(t));
  const distinct = commands ?? new Set(learned.map((c) => c.text)).size;
  if (used.length >= MIN_INSPECTION_TOOLS_USED && distinct >= MIN_DISTINCT_COMMANDS) {
    for (const t of COMPANION_TOOLS.filter((x) => !ran.has(x)).slice(0, Math.floor(distinct * COMPANIONS_PER_COMMAND))) {
      stats.push(stat([t]), stat([t, 'README.md']));
      notes.set(t, inspectionNote(used));
    }
  }
  const subcommands = new Map<string, string[]>();
  for (const s of shapes) if (s.sub) subcommands.set(s.binary, [...(subcommands.get(s.binary) ?? []), s.sub]);
  for (const [bin, subs] of subcommands) {
    const spec = subcommandSpec(bin);
    if (!spec?.testScript || !onlyRunsScripts(spec, subs)) continue;
    stats.push(stat([bin, spec.testScript]));
    notes.set(bin, `Not observed: \`${bin} ${spec.testScript}\` runs the project's test script, like \`${bin} ${spec.scripts![0]} ${spec.testScript}\``);
  }
  return { stats, notes };
}
