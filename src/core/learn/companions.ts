// Companion suggestions: agents reach for the read-only inspection tools
// interchangeably (`head` in one session, `tail` or `wc` in the next), so a
// session that used several of them gets the rest suggested too, each with its
// binary's guards, instead of a prompt the first time the agent picks another.
// They are marked as not observed, are probed and narrowed by the self-check
// like every other pattern, and are never made under `--no-generalize` or
// `--min-frequency` above 1 (they were seen no times at all).
import type { ComponentStat } from './exec-patterns';

/** Tools that print what is in the working tree and change nothing (their writing options are guarded). */
export const INSPECTION_TOOLS: readonly string[] = ['ls', 'cat', 'head', 'tail', 'wc', 'grep', 'find', 'echo', 'pwd', 'sleep'];

/** Distinct inspection tools a session must have used before the others are suggested. */
export const MIN_INSPECTION_TOOLS_USED = 2;

/** Whether an entry is a companion: the only suggestions never observed, so their count is 0. */
export function isCompanion(entry: { count: number }): boolean {
  return entry.count === 0;
}

/** The reviewer's note on a companion pattern. */
export function companionNote(used: readonly string[]): string {
  return `Not observed: suggested with the inspection tools the agent ran (${used.join(', ')})`;
}

/**
 * Stand-in components for the inspection tools the session did not run in any
 * form (`ran`; count 0: never observed), or none when it used fewer than
 * MIN_INSPECTION_TOOLS_USED in forms that are learned (`learned`: a warned use
 * is no evidence). Each tool appears bare and with a file, so it generalises
 * like a tool the agent ran both ways. Returns the tools the session used too,
 * for the note.
 */
export function companionStats(ran: ReadonlySet<string>, learned: ReadonlySet<string>): { stats: ComponentStat[]; used: string[] } {
  const used = INSPECTION_TOOLS.filter((t) => learned.has(t));
  if (used.length < MIN_INSPECTION_TOOLS_USED) return { stats: [], used };
  const stats = INSPECTION_TOOLS.filter((t) => !ran.has(t)).flatMap((t) =>
    [[t], [t, 'README.md']].map((argv) => ({ text: argv.join(' '), argv, binary: t, count: 0, examples: [] })),
  );
  return { stats, used };
}
