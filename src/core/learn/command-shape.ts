// The shape of one command component as the learner sees it: which family it
// belongs to (binary, subcommand, script directory), whether it is a
// dangerous form, and the ladder of patterns that could cover it, narrowest
// first. Deciding which rung to use is exec-patterns.ts's job.
import type { PatternKind } from './types';
import {
  binaryGuards, classify, escapeGlob, interpreterSpec, isNeverSuggested, isReadOnlySubcommand, isShell, isStdinFilter, isUnknownTool, subcommandSpec, wrapperSpec,
  type InterpreterSpec,
} from './dangerous-forms';
import { operationOf } from './cloud-clis';

/**
 * How wide a rung is: 0 the exact command, 1 a narrow prefix (`npm run build*`),
 * 2 the family (`git status*`, `npm run *`, `python3 scripts/*`, `ls *`),
 * 3 the whole tool (`git *`), or for a cloud CLI a family of reads
 * (`aws ec2 describe-*`), only for subcommand tools.
 */
export type Level = 0 | 1 | 2 | 3;

export interface Rung {
  pattern: string;
  kind: PatternKind;
  level: Level;
  /** Dangerous-form guards of the binaries involved (the generic guards are added by the caller). */
  notMatches: string[];
  /**
   * The rung also covers the bare binary (`cat*`); its last guard (`cat[! ]*`)
   * refuses longer binary names, so it cannot be used when the session ran one.
   */
  bare?: boolean;
  /** A bare rung for a binary that is not a stdin filter: used only when the session also ran it bare (`ls` and `ls -la`). */
  onlyIfRunBare?: boolean;
  /** Also guarded by the session's unobserved mutations and sensitive reads, like level 3 (a cloud CLI's operations). */
  session?: boolean;
}

export interface Shape {
  binary: string;
  /** Subcommand of a subcommand tool (`status`, `pr view`), when there is one. */
  sub?: string;
  readOnly?: boolean;
  /** The subcommand was given a name or path (`npm install left-pad`), not only options (`npm install --no-audit`). */
  operand?: boolean;
  /** The tool's sensitive operations and options the component uses (`secretsmanager get-secret-value`). */
  sensitive?: string[];
  /** Why the component is a dangerous form (then `ladder` holds only the exact rung). */
  danger?: string;
  ladder: Rung[];
}

const SCRIPT_FILE = /\.(m?[jt]sx?|cjs|cts|py|rb|pl|php|lua|sh|bash|zsh|R|jl)$/;

function lit(words: readonly string[]): string {
  return escapeGlob(words.join(' '));
}

/** A directory rung (`python3 scripts/*`) and its guard against climbing out of the directory (`scripts/../../tmp/x.py`). */
function dirRung(stem: string, dir: string, notMatches: string[]): Rung {
  const prefix = `${stem} ${escapeGlob(dir)}`;
  return { pattern: `${prefix}*`, kind: 'prefix', level: 2, notMatches: [...notMatches, `${prefix}*../*`] };
}

function exactRung(text: string): Rung {
  return { pattern: escapeGlob(text), kind: 'exact', level: 0, notMatches: [] };
}

/** The directory prefix a script path is generalised to: first segment for relative paths, parent dir for absolute ones. */
export function scriptDir(script: string): string | null {
  const s = script.replace(/\\/g, '/');
  const slash = s.lastIndexOf('/');
  if (slash < 0) return null;
  if (s.startsWith('/') || s.startsWith('~')) return s.slice(0, slash + 1);
  const parts = s.split('/').filter((p) => p !== '.');
  if (parts.includes('..') || parts.length < 2) return s.slice(0, slash + 1);
  return `${s.startsWith('./') ? './' : ''}${parts[0]}/`;
}

/**
 * The name prefix a script in the project root shares with its siblings, like a directory
 * (`test-field-validation.js` → `test-`, `check_progress.py` → `check_`): agents write such
 * families of throwaway scripts next to each other. Only for script files with a word before
 * the separator; a name without one (`main.py`) stays exact.
 */
export function scriptFamily(script: string): string | null {
  if (!SCRIPT_FILE.test(script)) return null;
  const m = /^([A-Za-z][A-Za-z0-9]{2,}[-_])[A-Za-z0-9]/.exec(script);
  return m ? m[1] : null;
}

/** A short flag cluster (`-ic`, `-Bc`) containing one of the inline flags. */
function hasInlineFlag(word: string, spec: InterpreterSpec): boolean {
  if (spec.inline.includes(word)) return true;
  if (!/^-[A-Za-z]{2,}$/.test(word)) return false;
  return [...word.slice(1)].some((ch) => spec.inline.includes(`-${ch}`));
}

/** A word that reads as a subcommand (`check`, `run:android`, `db-push`), not a file or a value. */
/**
 * The guard that keeps a prefix pattern (`cat*`, `wg show*`) to whole words: it refuses a longer word that
 * starts the same (`catalog`, `wg showconf`).
 */
export function wordEndGuard(prefix: string): string {
  return `${prefix}[! ]*`;
}

export function isWordEndGuard(guard: string): boolean {
  return guard.endsWith('[! ]*');
}

const SUBCOMMAND_WORD = /^[a-z][a-z0-9]*([-:_.][a-z0-9]+)*$/;

/** Flags with which an interpreter prints something and exits without running code. */
const INFO_FLAGS = new Set(['--version', '--help', '-h']);

function interpreterShape(head: string, binary: string, words: string[], text: string): Shape {
  const spec = interpreterSpec(binary)!;
  let i = 0;
  while (i < words.length && words[i].startsWith('-') && words[i] !== '-') {
    const w = words[i];
    if (hasInlineFlag(w, spec)) return danger(binary, text, `${binary} ${w} runs inline code or an interactive session`);
    if (spec.module && w === spec.module) {
      const mod = words[i + 1];
      if (mod === undefined) return danger(binary, text, `${binary} ${w} without a module`);
      if (spec.badModules?.includes(mod)) return danger(binary, text, `${binary} ${w} ${mod} is a dangerous module`);
      const stem = [head, ...words.slice(0, i + 2)];
      // The module's own dangerous forms as a program (`pytest /tmp/x.py`), behind `python -m`.
      const moduleGuards = binaryGuards(mod).map((g) => `${lit([head, ...words.slice(0, i + 1)])} ${g}`);
      // (`[! ]`: not another module that merely starts with this name, `pytest_evil`)
      return { binary, sub: `${w} ${mod}`, ladder: [exactRung(text), { pattern: `${lit(stem)}*`, kind: 'prefix', level: 2, notMatches: [...moduleGuards, wordEndGuard(lit(stem))] }] };
    }
    i += spec.withValue?.includes(w) ? 2 : 1;
  }
  const script = words[i];
  // `--version`/`--help` print and exit: harmless, but kept exact (never widened).
  if (script === undefined && words.length > 0 && words.every((w) => INFO_FLAGS.has(w))) return { binary, sub: words.join(' '), ladder: [exactRung(text)] };
  if (script === undefined || script === '-') {
    return danger(binary, text, `${binary} reads its program from standard input or a heredoc`);
  }
  if (spec.inline.includes(script)) return danger(binary, text, `${binary} ${script} runs inline code`);
  const opts = words.slice(0, i);
  const ladder = [exactRung(text)];
  // A syntax check runs nothing, so it is safe on any file; an option after the flag could run code (`node -c -r x`).
  if (opts.length === 1 && spec.check?.includes(opts[0])) {
    const stem = lit([head, opts[0]]);
    return { binary, sub: opts[0], readOnly: true, ladder: [...ladder, { pattern: `${stem} *`, kind: 'prefix', level: 2, notMatches: [`${stem} -*`] }] };
  }
  const dir = scriptDir(script);
  // A script's arguments are its own, except the forms known to be dangerous (`manage.py flush`).
  const guards = binaryGuards(binary);
  if (words.length > i + 1) ladder.push({ pattern: `${lit([head, ...opts, script])}*`, kind: 'prefix', level: 1, notMatches: guards });
  const family = dir ?? scriptFamily(script);
  if (family) ladder.push(dirRung(lit([head, ...opts]), family, guards));
  else if (words.length === i + 1) ladder.push({ pattern: `${lit([head, ...opts, script])}*`, kind: 'prefix', level: 2, notMatches: guards });
  else ladder[ladder.length - 1].level = 2;
  return { binary, sub: family ?? script, ladder: dedupe(ladder) };
}

function danger(binary: string, text: string, reason: string): Shape {
  return { binary, danger: reason, ladder: [exactRung(text)] };
}

function dedupe(ladder: Rung[]): Rung[] {
  const seen = new Set<string>();
  return ladder.filter((r) => (seen.has(r.pattern) ? false : (seen.add(r.pattern), true)));
}

/** Prefixes every rung of an inner command's shape with the wrapper's words. */
function wrapped(prefix: string[], binary: string, inner: Shape, text: string): Shape {
  if (inner.danger) return { ...inner, binary, ladder: [exactRung(text)] };
  const guards = binaryGuards(binary);
  const ladder = inner.ladder.map((r) => ({
    ...r,
    pattern: r.level === 0 ? escapeGlob(text) : `${lit(prefix)} ${r.pattern}`,
    // The inner command's guards, also behind the wrapper's words (`npx tsc *--outDir /*`).
    notMatches: r.level === 0 ? [] : [...guards, ...r.notMatches.flatMap((g) => [g, `${lit(prefix)} ${g}`])],
  }));
  return { binary, sub: `${prefix.slice(1).join(' ')} ${inner.binary}`.trim(), readOnly: inner.readOnly, ladder: dedupe(ladder) };
}

function skip(words: string[], withValue: readonly string[]): number {
  let i = 0;
  while (i < words.length && words[i].startsWith('-')) i += withValue.includes(words[i]) ? 2 : 1;
  return i;
}

function subcommandShape(head: string, binary: string, words: string[], text: string): Shape {
  const spec = subcommandSpec(binary)!;
  const i = skip(words, spec.optionsWithValue ?? []);
  if (i >= words.length) return { binary, ladder: [exactRung(text)] };
  if (spec.verbs) return operationShape(head, binary, words, i, text);
  let sub = words[i];
  let end = i + 1;
  // Two words name the subcommand for tools such as gh and docker, and elsewhere where the pair is listed (`npm audit fix`).
  const pair = `${words[i]} ${words[i + 1]}`;
  if (words[i + 1] && !words[i + 1].startsWith('-') && (spec.twoWord || spec.mutating.includes(pair) || spec.readOnly.includes(pair))) {
    sub = pair;
    end = i + 2;
  }
  const stem = [head, ...words.slice(0, end)];
  // A subcommand that runs a command (`uv run x`, `uv tool run x`): the command it runs is what is learned.
  const runs = spec.wrapping?.includes(sub) ? end : spec.wrapping?.includes(words[i]) ? i + 1 : undefined;
  if (runs !== undefined) {
    const rest = words.slice(runs);
    const j = skip(rest, spec.optionsWithValue ?? []);
    if (j >= rest.length) return { binary, sub, ladder: [exactRung(text)] };
    const inner = shapeOf(rest[j], basename(rest[j]), rest.slice(j + 1), rest.slice(j).join(' '));
    return wrapped([head, ...words.slice(0, runs), ...rest.slice(0, j)], binary, inner, text);
  }
  const guards = binaryGuards(binary);
  const ladder: Rung[] = [exactRung(text)];
  // Another host is another machine: the pattern names this one, followed by a space (`build-01.evil.com` is not it).
  if (spec.host) return { binary, sub, ladder: dedupe([...ladder, { pattern: `${lit(stem)} *`, kind: 'prefix', level: 2, notMatches: guards }]) };
  if (spec.scripts?.includes(words[i])) {
    const script = words[i + 1];
    if (script === undefined) return { binary, sub, readOnly: true, ladder };
    if (script.includes('/') || SCRIPT_FILE.test(script)) {
      const dir = scriptDir(script);
      if (dir) ladder.push(dirRung(lit(stem), dir, guards));
      else ladder.push({ pattern: `${lit([...stem, script])}*`, kind: 'prefix', level: 2, notMatches: guards });
      return { binary, sub, readOnly: false, ladder: dedupe(ladder) };
    }
    if (words.length > i + 2) ladder.push({ pattern: `${lit([...stem, script])}*`, kind: 'prefix', level: 1, notMatches: guards });
    ladder.push({ pattern: `${lit(stem)} *`, kind: 'prefix', level: 2, notMatches: guards });
  } else {
    ladder.push({ pattern: `${lit(stem)}*`, kind: 'prefix', level: 2, notMatches: guards });
  }
  ladder.push({ pattern: `${lit([head])} *`, kind: 'glob', level: 3, notMatches: guards });
  const operand = words.slice(end).some((w, k, rest) => !w.startsWith('-') && !spec.installFiles?.includes(rest[k - 1] ?? ''));
  return { binary, sub, operand, readOnly: isReadOnlySubcommand(spec, sub) || isReadOnlySubcommand(spec, words[i]), ladder: dedupe(ladder) };
}

/**
 * A cloud CLI's call: the operation with what follows it (`aws s3 ls*`,
 * `gcloud compute instances list*`), and for a read in a verb family the
 * family within its service (`aws ec2 describe-*`). Never the whole tool: its
 * mutations are too many to guard.
 */
function operationShape(head: string, binary: string, words: string[], start: number, text: string): Shape {
  const op = operationOf(subcommandSpec(binary)!, words, start);
  if (op.end === undefined) return { binary, sub: op.sub, readOnly: false, sensitive: op.sensitive, ladder: [exactRung(text)] };
  const guards = binaryGuards(binary);
  const ladder: Rung[] = [exactRung(text), { pattern: `${lit([head, ...words.slice(0, op.end)])}*`, kind: 'prefix', level: 2, notMatches: guards, session: true }];
  if (op.family) {
    const service = lit([head, ...words.slice(0, op.end - 1)]);
    ladder.push({ pattern: `${service} ${escapeGlob(op.family)}*`, kind: 'glob', level: 3, notMatches: guards, session: true });
  }
  return { binary, sub: op.sub, readOnly: op.readOnly, sensitive: op.sensitive, ladder };
}

/** Whether a program was named by a path (`./build.sh`, `scripts/x`, `C:\\tools\\x.exe`), not found on PATH. */
export function runByPath(program: string): boolean {
  return /[/\\]/.test(program);
}

export function basename(word: string): string {
  const slash = Math.max(word.lastIndexOf('/'), word.lastIndexOf('\\'));
  return slash < 0 ? word : word.slice(slash + 1);
}

/**
 * The shape of a command given as `head` (how the binary appears in the
 * component's text), its basename and its arguments.
 */
export function shapeOf(head: string, binary: string, words: string[], text: string, byPath = runByPath(head)): Shape {
  if (isNeverSuggested(binary)) return danger(binary, text, `${binary} is destructive, privileged or a raw network tool`);
  const cls = classify(binary);
  if (cls === 'exact-only') return { binary, ladder: [exactRung(text)] };
  if (cls === 'interpreter') return interpreterShape(head, binary, words, text);
  if (cls === 'subcommand') return subcommandShape(head, binary, words, text);
  if (cls === 'wrapper') {
    const spec = wrapperSpec(binary)!;
    let i = skip(words, spec.withValue);
    if (spec.verb) {
      // its other subcommands (`pipx list`, `pipx install x`) stay exact
      if (words[i] !== spec.verb) return { binary, ladder: [exactRung(text)] };
      i += 1 + skip(words.slice(i + 1), spec.withValue);
    }
    if (i >= words.length) return isShell(binary) ? danger(binary, text, 'runs a shell') : { binary, ladder: [exactRung(text)] };
    const inner = shapeOf(words[i], basename(words[i]), words.slice(i + 1), words.slice(i).join(' '));
    return wrapped([head, ...words.slice(0, i)], binary, inner, text);
  }
  if (!words.length) return { binary, ladder: [exactRung(text)] };
  // An unknown tool's first word is taken for a subcommand: learned per subcommand (`ruff check*`), never tool-wide.
  // A program run by its path (`./build.sh release`) is the project's own, like a make target: tool-wide.
  if (isUnknownTool(binary) && !byPath && SUBCOMMAND_WORD.test(words[0])) {
    // `run` runs the command after it in the tool's environment: learned as that command, behind the tool's
    // words (`pdm run pytest *`). Not `exec` or `shell`: what follows may name a container or a machine
    // (`lxc exec box -- …`), so those stay guarded.
    if (words[0] === 'run') {
      const next = words[1];
      if (next === undefined || next.startsWith('-') || next.includes('=')) return { binary, sub: words[0], ladder: [exactRung(text)] };
      return wrapped([head, words[0]], binary, shapeOf(next, basename(next), words.slice(2), words.slice(1).join(' ')), text);
    }
    // (not a longer subcommand that starts with the same letters: `wg show*` must not grant `wg showconf`)
    const sub = lit([head, words[0]]);
    return { binary, sub: words[0], ladder: dedupe([exactRung(text), { pattern: `${sub}*`, kind: 'prefix', level: 2, notMatches: [...binaryGuards(binary), wordEndGuard(sub)] }]) };
  }
  const family: Rung = { pattern: `${lit([head])} *`, kind: 'glob', level: 2, notMatches: binaryGuards(binary) };
  // One pattern for the bare binary and its arguments (`cat*`, `ls*`), with a guard refusing longer binary names.
  const bare: Rung = { pattern: `${lit([head])}*`, kind: 'glob', level: 2, notMatches: [...family.notMatches, wordEndGuard(lit([head]))], bare: true };
  return { binary, ladder: [exactRung(text), family, isStdinFilter(binary) ? bare : { ...bare, onlyIfRunBare: true }] };
}
