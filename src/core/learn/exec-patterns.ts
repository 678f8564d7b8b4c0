// Exec generalisation: turns the distinct command components an agent ran
// into a small set of command globs. Each component gets a ladder of
// candidate patterns (command-shape.ts); the chosen rung is the widest one its
// binary's class allows that lets none of the binary's dangerous probes
// through, and components that share a chosen pattern become one entry.
import { compileCommandGlob, leadingLiteral, prefixesAgree } from '../glob/index';
import { redirectsStayLocal } from '../policy/evaluate';
import { programDirOf } from '../policy/index';
import { parseCommand, type CommandComponent } from '../shell/index';
import type { PatternAlternative, PatternEntry } from './types';
import { binaryGuards, canonicalSubcommand, escapeGlob, GENERIC_GUARDS, onlyRunsScripts, subcommandSpec, subcommandSpellings } from './dangerous-forms';
import { companionStats, isCompanion } from './companions';
import { binaryProbes } from './probes';
import { isWordEndGuard, runByPath, shapeOf, type Rung, type Shape } from './command-shape';
import type { SensitiveMatcher } from './sensitive-paths';

/** One distinct component text, aggregated over every call that contained it. */
export interface ComponentStat {
  text: string;
  argv: string[];
  binary: string;
  count: number;
  /** Raw commands it was seen in (first few). */
  examples: string[];
  /** The directories its program was run from (`./` for `./build.sh`, '' from PATH); argv[0]'s when absent. */
  programDirs?: ReadonlySet<string>;
}

export interface ExecWarning {
  raw: string;
  reason: string;
  count: number;
}

export interface ExecResult {
  entries: PatternEntry[];
  warnings: ExecWarning[];
}

export interface ExecOptions {
  generalize?: boolean;
  minFrequency?: number;
  /** The session wrote or edited files: local mutations (commit, build …) come with a tool-wide pattern. */
  editsProject?: boolean;
  /** Suggest the other inspection tools (companions.ts); only when generalising with minFrequency 1. Default true. */
  companions?: boolean;
  /** Binaries the session ran in forms left out of `stats` (dangerous ones): never companions either. */
  alsoRan?: Iterable<string>;
  /** Distinct commands the session ran in learned forms, the companions' evidence; the distinct components when absent. */
  commands?: number;
  /** Patterns the self-check found leaking: never chosen again. */
  forbid?: ReadonlySet<string>;
  /** Guards of this session besides the generic ones (its home folders written out: homeFolderGuards). */
  extraGuards?: readonly string[];
}

const MAX_EXAMPLES = 3;
const MAX_ALTERNATIVES = 5;
/** A word that names a package: not an option, a redirection or a file descriptor. */
const PACKAGE_NAME = '[!-<>&0-9]*';
const OUTPUT_REDIRECT = /^(\d*>>?|&>>?|>\||\d*<>|>&)$/;
/** Discarding or duplicating output (`2>/dev/null`, `>/dev/stderr`) writes no file, whatever the sensitive paths say about /dev. */
const STREAM_TARGET = /^\/dev\/(null|stdout|stderr|fd\/\d+)$/;

type Matcher = (text: string) => boolean;
const globCache = new Map<string, Matcher>();
function glob(pattern: string): Matcher {
  let m = globCache.get(pattern);
  if (!m) {
    m = compileCommandGlob(pattern);
    if (globCache.size > 50_000) globCache.clear();
    globCache.set(pattern, m);
  }
  return m;
}

const genericGuards = GENERIC_GUARDS.map((g) => ({ glob: g, test: glob(g) }));

/** A pattern with its guards, as the policy engine applies it to one component. */
export function ruleMatcher(pattern: string, notMatches: readonly string[] = []): Matcher {
  const pos = glob(pattern);
  const neg = notMatches.map(glob);
  return (t) => pos(t) && !neg.some((n) => n(t)) && !genericGuards.some((g) => g.test(t));
}

/** Why a component's text is a dangerous form, or null. */
function dangerousText(text: string, binary: string, extraGuards: readonly string[] = []): string | null {
  for (const g of genericGuards) if (g.test(text)) return `matches the dangerous form \`${g.glob}\``;
  for (const g of [...binaryGuards(binary), ...extraGuards]) if (glob(g)(text)) return `matches the dangerous form \`${g}\``;
  return null;
}

/** Why a component's redirection is dangerous (into a sensitive file, or outside the project), or null. */
export function redirectDanger(component: CommandComponent, sensitive: SensitiveMatcher, normalize: (p: string) => string): string | null {
  for (const r of component.redirects) {
    const spelled = `${component.text} ${r.op} ${r.target}`;
    const guard = genericGuards.find((g) => g.test(spelled));
    if (guard) return `redirection matches the dangerous form \`${guard.glob}\``;
  }
  // The engine never grants a redirection to an absolute, home or parent-directory path.
  if (!redirectsStayLocal(component)) return `redirects outside the project (${component.redirects.map((r) => `${r.op}${r.target}`).join(' ')})`;
  for (const r of component.redirects) {
    if (!OUTPUT_REDIRECT.test(r.op) || r.target.startsWith('&') || /^\d+$/.test(r.target) || STREAM_TARGET.test(r.target)) continue;
    const hit = sensitive.match(normalize(r.target)) ?? sensitive.match(r.target);
    if (hit) return `redirects output into a sensitive file (${r.target} matches ${hit})`;
  }
  return null;
}

type ComponentText = Pick<ComponentStat, 'text' | 'argv' | 'binary'>;

function shapeOfStat(c: ComponentText): Shape {
  if (!c.argv.length) return { binary: '', ladder: [{ pattern: escapeGlob(c.text), kind: 'exact', level: 0, notMatches: [] }] };
  return shapeOf(c.binary, c.binary, c.argv.slice(1), c.text, runByPath(c.argv[0]));
}

/** A component's shape and, when its text is a dangerous form (of its shape or of its binary), why. */
export function shapeWithDanger(c: ComponentText): { shape: Shape; danger: string | null } {
  const shape = shapeOfStat(c);
  return { shape, danger: shape.danger ?? dangerousText(c.text, c.binary, shape.ladder.flatMap((r) => r.notMatches)) };
}

const probeCache = new Map<string, string[]>();
/** First component texts of a binary's dangerous probes (what a pattern for it must not match). */
function probeTexts(binary: string): string[] {
  let out = probeCache.get(binary);
  if (!out) {
    out = binaryProbes(binary).map((p) => parseCommand(p).components[0]?.text ?? p);
    probeCache.set(binary, out);
  }
  return out;
}

const safeCache = new Map<string, boolean>();
/** A rung is safe when it matches none of the probes of the binaries it names (memoised: many components share a rung). */
function rungSafe(rung: Rung, shape: Shape): boolean {
  if (rung.level === 0) return true;
  const key = `${shape.binary}\0${rung.pattern}\0${rung.notMatches.join('\0')}`;
  let safe = safeCache.get(key);
  if (safe === undefined) {
    safe = probeSafe(rung, shape);
    if (safeCache.size > 50_000) safeCache.clear();
    safeCache.set(key, safe);
  }
  return safe;
}

function probeSafe(rung: Rung, shape: Shape): boolean {
  const m = ruleMatcher(rung.pattern, rung.notMatches);
  const heads = new Set([shape.binary, rung.pattern.split(' ')[0]]);
  // Wrapped commands (`uv run pytest *`): also the probes of the wrapped binary, behind the same prefix.
  const words = rung.pattern.split(' ');
  for (let i = 1; i < words.length - 1; i++) {
    if (words[i].includes('*')) break;
    const prefix = words.slice(0, i).join(' ');
    for (const p of probeTexts(words[i])) if (m(`${prefix} ${p}`)) return false;
  }
  for (const h of heads) for (const p of probeTexts(h)) if (m(p)) return false;
  return true;
}

/** What the session showed of a subcommand tool, for its widened patterns. */
interface SessionGuards {
  /** Guards of the mutations it never ran and of packages it never named. */
  notMatches: string[];
  /**
   * Whether its tool-wide pattern (`uv *`) may be used: not once the agent ran a subcommand that
   * runs other commands (`uv run pytest`), whose commands are then learned one by one (`uv run pytest *`).
   */
  toolWide: boolean;
}

/**
 * Guards that keep a subcommand tool's `tool *` pattern to what the agent
 * showed it needs: every read-only subcommand, but only the mutating
 * subcommands it actually ran (`git *` after `git status` and `git commit`
 * still refuses `git push`, `git reset`, `git clean` …). Local mutations are
 * included when the agent edits the project anyway; a subcommand that runs
 * other commands (`uv run`) never is.
 */
function unobservedMutations(shapes: Iterable<Shape>, editsProject: boolean): Map<string, SessionGuards> {
  const seen = new Map<string, Set<string>>();
  /** Per binary, the subcommands seen with a package name or path (`npm install left-pad`). */
  const withOperand = new Map<string, Set<string>>();
  for (const s of shapes) {
    if (!s.sub || !subcommandSpec(s.binary)) continue;
    const set = seen.get(s.binary) ?? new Set<string>();
    // Also as the command the spelling runs (`npm i` is npm install), so no guard for another spelling refuses it.
    // A wrapped command's sub holds the wrapping words and what they run (`tool run ruff`): its first two words may name the subcommand.
    const words = s.sub.split(' ');
    set.add(s.sub).add(words[0]!).add(words.slice(0, 2).join(' ')).add(canonicalSubcommand(s.binary, s.sub));
    for (const x of s.sensitive ?? []) set.add(x);
    seen.set(s.binary, set);
    if (s.operand) withOperand.set(s.binary, (withOperand.get(s.binary) ?? new Set<string>()).add(s.sub).add(canonicalSubcommand(s.binary, s.sub)));
  }
  const out = new Map<string, SessionGuards>();
  for (const [bin, subs] of seen) {
    const spec = subcommandSpec(bin)!;
    if (onlyRunsScripts(spec, subs)) continue;
    const ran = (m: string) => subs.has(m) || subs.has(canonicalSubcommand(bin, m));
    const b = escapeGlob(bin);
    const edits = editsProject || [...subs].some((x) => spec.mutating.includes(x));
    const local = (m: string) => edits && spec.local?.includes(m) && !spec.wrapping?.includes(m);
    const missing = [...spec.mutating, ...(spec.sensitive ?? [])].filter((m) => !ran(m) && !local(m));
    // An install seen only without a package name (`npm install`, from the lockfile) grants no new
    // package. A name is a word after the subcommand that is not an option; the class also keeps out
    // the spelled redirection (`npm install 2>& 1`) that guards are matched against.
    const bare = (spec.installs ?? []).filter((m) => ran(m) && !withOperand.get(bin)?.has(canonicalSubcommand(bin, m)));
    // Each subcommand with what may follow it, also after global options (`npm --prefix . install x`).
    // npm also takes aliases and abbreviations (`npm pub`): a spelling ending in `*` already covers what follows.
    // Options may also sit between the words of a two-word subcommand (`npm audit --json fix`, `gh pr -R x create`).
    const words = (w: string) => (w.includes(' ') ? [w, w.replace(' ', ' -* ')] : [w]);
    const spelled = (m: string, tails: string[]) =>
      subcommandSpellings(bin, m).flatMap(words).flatMap((w) => (w.endsWith('*') ? [''] : tails).flatMap((t) => [`${b} ${w}${t}`, `${b} -* ${w}${t}`]));
    // A sensitive option (`--with-decryption`) wherever it appears.
    const guard = (m: string) => (m.startsWith('-') ? [`${b} *${escapeGlob(m)}*`] : spelled(m, ['', ' *']));
    const notMatches = [...new Set([...missing.flatMap(guard), ...bare.flatMap((m) => spelled(m, packageNameTails(spec.installFiles ?? [])))])];
    out.set(bin, { notMatches, toolWide: !spec.wrapping?.some(ran) });
  }
  return out;
}

/**
 * What may follow an install subcommand when it names a package: the name first, or after options.
 * An option naming a requirements file (`-r requirements.txt`) is not followed by a name, unless
 * one comes after its value.
 */
function packageNameTails(fileOptions: readonly string[]): string[] {
  if (!fileOptions.length) return [` ${PACKAGE_NAME}`, ` -* ${PACKAGE_NAME}`];
  const short = fileOptions.filter((o) => /^-[A-Za-z]$/.test(o)).map((o) => o[1]).join('');
  // Long options are told apart by their first letter (pip also takes abbreviations: `--req`).
  const long = [...new Set(fileOptions.filter((o) => o.startsWith('--')).map((o) => o[2]))].join('');
  return [
    ` ${PACKAGE_NAME}`, ` -[!${short}-]* ${PACKAGE_NAME}`, ` --[!${long}]* ${PACKAGE_NAME}`,
    // a name after the value of a file option, or of another option with the same first letter (`--retries 3 x`)
    ` -[${short}]?* ${PACKAGE_NAME}`, ` --[${long}]*[ =]* ${PACKAGE_NAME}`,
  ];
}

/** Whether another observed binary's name extends this one (`catalog` for `cat`): a `cat[! ]*` guard would refuse it. */
function extendedBy(binary: string, binaries: ReadonlySet<string>): boolean {
  for (const b of binaries) if (b.length > binary.length && b.startsWith(binary)) return true;
  return false;
}

function choose(shape: Shape, session: SessionGuards | undefined, generalize: boolean, forbid: ReadonlySet<string>, binaries: ReadonlySet<string>, ranBare: ReadonlySet<string>): Rung {
  if (!generalize) return shape.ladder[0];
  // The tool-wide rung exists only for subcommand tools, and only with the session's mutation guards
  // (which a cloud CLI's operation rungs take too, and every widened rung of a tool with no tool-wide one).
  const usable = (r: Rung) => (r.level < 3 || session?.toolWide) && !(r.bare && extendedBy(shape.binary, binaries)) && !(r.onlyIfRunBare && !ranBare.has(shape.binary));
  const guarded = (r: Rung) => r.level === 3 || r.session || (r.level > 0 && !session?.toolWide);
  const candidates = shape.ladder.filter(usable).map((r) => (session && guarded(r) ? { ...r, notMatches: [...r.notMatches, ...session.notMatches] } : r));
  for (let i = candidates.length - 1; i > 0; i--) if (!forbid.has(candidates[i].pattern) && rungSafe(candidates[i], shape)) return candidates[i];
  return candidates[0];
}

interface Group {
  rung: Rung;
  binary: string;
  members: { stat: ComponentStat; shape: Shape }[];
}

function alternativesOf(g: Group, extra: readonly string[]): PatternAlternative[] {
  const rungs = new Map<string, Rung>();
  const byCount = [...g.members].sort((a, b) => b.stat.count - a.stat.count);
  rungs.set(byCount[0].shape.ladder[0].pattern, byCount[0].shape.ladder[0]);
  for (const m of byCount) for (const r of m.shape.ladder) if (r.level > 0 && rungSafe(r, m.shape)) rungs.set(r.pattern, r);
  rungs.set(g.rung.pattern, g.rung);
  const alts = [...rungs.values()].map((r) => {
    const m = ruleMatcher(r.pattern, r.notMatches);
    const covers = g.members.reduce((n, x) => n + (m(x.stat.text) ? x.stat.count : 0), 0);
    const alt: PatternAlternative = { pattern: r.pattern, kind: r.kind, covers };
    alt.notMatches = entryGuards(r, extra);
    return { alt, level: r.level };
  });
  alts.sort((a, b) => a.level - b.level || a.alt.covers - b.alt.covers || a.alt.pattern.localeCompare(b.alt.pattern));
  // Narrowest first; keep the exact one, the rungs closest below the default, the default and one wider.
  const def = alts.findIndex((a) => a.alt.pattern === g.rung.pattern);
  const below = alts.slice(1, def).filter((a) => a.alt.covers > 0).slice(-(MAX_ALTERNATIVES - 3));
  const picked = def === 0 ? [alts[0]] : [alts[0], ...below, alts[def]];
  if (alts[def + 1]) picked.push(alts[def + 1]);
  return picked.map((a) => a.alt);
}

/**
 * The guards an entry carries in the fragment. An exact pattern needs the generic ones too: the engine
 * matches a pattern against a component's text without its redirections, so `ls -la` alone would also
 * grant `ls -la > .envrc`; the guards are what see the redirection (ruleMatcher assumes them everywhere).
 */
function entryGuards(rung: Rung, extra: readonly string[]): string[] {
  return [...relevantGuards(rung), ...GENERIC_GUARDS, ...extra];
}

/** Guards of a rung that could match something its pattern matches (literal prefixes compatible). */
function relevantGuards(rung: Rung): string[] {
  const mine = leadingLiteral(rung.pattern);
  return rung.notMatches.filter((g) => prefixesAgree(leadingLiteral(g), mine));
}

/** Generalises the observed components into exec pattern entries and warnings. */
export function generaliseExec(stats: Iterable<ComponentStat>, opts: ExecOptions = {}): ExecResult {
  const generalize = opts.generalize ?? true;
  const minFrequency = opts.minFrequency ?? 1;
  const warnings: ExecWarning[] = [];
  const shapes = new Map<string, Shape>();
  const kept: ComponentStat[] = [];
  /** Every binary observed, in a safe form or not: a tool the agent ran is never a companion. */
  const ran = new Set<string>(opts.alsoRan);
  for (const c of stats) {
    ran.add(c.binary);
    const { shape, danger: reason } = shapeWithDanger(c);
    if (reason) {
      warnings.push({ raw: c.examples[0] ?? c.text, reason: `dangerous form: ${reason}`, count: c.count });
      continue;
    }
    shapes.set(c.text, shape);
    kept.push(c);
  }
  // Guards from what the agent ran: a companion is no evidence of a subcommand.
  const sessionGuards = unobservedMutations(shapes.values(), opts.editsProject ?? false);
  const companions = generalize && minFrequency <= 1 && (opts.companions ?? true) ? companionStats(ran, kept, shapes.values(), opts.commands) : { stats: [], notes: new Map<string, string>() };
  for (const c of companions.stats) {
    shapes.set(c.text, shapeOfStat(c));
    kept.push(c);
  }
  const binaries = new Set(kept.map((c) => c.binary));
  const ranBare = new Set(kept.filter((c) => c.argv.length === 1).map((c) => c.binary));
  const groups = new Map<string, Group>();
  for (const c of kept) {
    const shape = shapes.get(c.text)!;
    const rung = choose(shape, sessionGuards.get(shape.binary), generalize, opts.forbid ?? new Set(), binaries, ranBare);
    const g = groups.get(rung.pattern) ?? { rung, binary: shape.binary, members: [] };
    g.members.push({ stat: c, shape });
    groups.set(rung.pattern, g);
  }
  mergeCovered(groups);
  const entries: PatternEntry[] = [];
  for (const g of groups.values()) {
    const count = g.members.reduce((n, m) => n + m.stat.count, 0);
    const companion = isCompanion({ count });
    if (count < minFrequency && !companion) continue;
    const examples: string[] = [];
    for (const m of [...g.members].sort((a, b) => b.stat.count - a.stat.count)) {
      for (const e of m.stat.examples) if (examples.length < MAX_EXAMPLES && !examples.includes(e)) examples.push(e);
    }
    const notMatches = entryGuards(g.rung, opts.extraGuards ?? []);
    const pin = pinnedProgram(g);
    const entry: PatternEntry = { pattern: pin(g.rung.pattern), count, examples, alternatives: alternativesOf(g, opts.extraGuards ?? []).map((a) => ({ ...a, pattern: pin(a.pattern) })) };
    entry.notMatches = notMatches;
    if (companion) entry.note = companions.notes.get(g.binary);
    entries.push(entry);
  }
  // One guard list for every entry: the policy engine grants a compound command only when ONE rule
  // matches all its parts, so all exec patterns must live in one rule, and a formatter that groups
  // entries by identical guards then keeps them together. Each guard names its binary (or a shell,
  // socket or credential form), so sharing them never narrows another binary's pattern.
  // Shared, a word-boundary guard (`minsky task[! ]*`, keeping `minsky task*` off longer subcommands) also narrows the
  // other patterns: it is dropped where it would refuse another observed subcommand that extends the word (`minsky tasks list`).
  const texts = kept.map((c) => c.text);
  const shared = [...new Set(entries.flatMap((e) => e.notMatches ?? []))].filter((g) => !isWordEndGuard(g) || !texts.some(glob(g)));
  if (shared.length) for (const e of entries) e.notMatches = shared;
  entries.sort((a, b) => b.count - a.count || a.pattern.localeCompare(b.pattern));
  warnings.sort((a, b) => b.count - a.count || a.raw.localeCompare(b.raw));
  return { entries, warnings };
}

/** A program directory that cannot be named (a relative path after a `cd`): the group keeps the bare name. */
export const UNKNOWN_PROGRAM_DIR = '\0';

/**
 * A group whose program was always run by one path (`./build.sh`, `.venv/bin/python`) names that path in
 * its patterns: the engine then grants only that program, not one of the same name anywhere
 * (`/tmp/x/build.sh`). Run by several paths, or from PATH, the patterns keep the bare name.
 */
function pinnedProgram(g: Group): (pattern: string) => string {
  const dirs = new Set(g.members.flatMap((m) => [...(m.stat.programDirs ?? [programDirOf(m.stat.argv[0] ?? '')])]));
  const [dir] = dirs;
  // A pattern's program is its first word: a directory with a space in it cannot be named.
  if (dirs.size !== 1 || !dir || dir === UNKNOWN_PROGRAM_DIR || /\s/.test(dir)) return (p) => p;
  const head = escapeGlob(g.binary);
  return (p) => (p.startsWith(head) ? escapeGlob(dir) + p : p);
}

/** Folds a group into a wider group of the same binary when the wider pattern already covers all its members. */
function mergeCovered(groups: Map<string, Group>): void {
  const byBinary = new Map<string, Group[]>();
  for (const g of groups.values()) byBinary.set(g.binary, [...(byBinary.get(g.binary) ?? []), g]);
  for (const list of byBinary.values()) {
    if (list.length < 2) continue;
    list.sort((a, b) => b.rung.level - a.rung.level);
    for (const narrow of [...list].reverse()) {
      for (const wide of list) {
        if (wide === narrow || !groups.has(wide.rung.pattern) || wide.rung.level < narrow.rung.level) continue;
        // Without its word-boundary guard, which generaliseExec drops anyway once an observed subcommand extends
        // the word (`minsky task*` then takes in `minsky tasks list`).
        const m = ruleMatcher(wide.rung.pattern, wide.rung.notMatches.filter((g) => !isWordEndGuard(g)));
        if (!narrow.members.every((x) => m(x.stat.text))) continue;
        wide.members.push(...narrow.members);
        groups.delete(narrow.rung.pattern);
        break;
      }
    }
  }
}
