// Canonical text for commands whose flag spelling varies but whose meaning
// does not: `rm -rf x`, `rm -fr x`, `rm -r -f x`, `rm -Rf x`, `rm x --recursive
// --force` all become `rm -rf x`, so one policy pattern covers every spelling.
//
// Canonical form: the binary, then one combined short-flag word (known flags in
// the command's conventional order, unknown ones after them sorted), then
// flags that take a value (`-t DIR`), then long flags with no short alias (in
// the order given), then operands in the order given. `--` is dropped.

interface FlagSpec {
  /** Known short flags in the order the canonical word lists them. */
  order: string;
  /** Short flags that are synonyms (`R` → `r` for rm). */
  alias?: Record<string, string>;
  /** Long flags (without `--`) that have a short form. */
  long: Record<string, string>;
  /** Short flags taking a value (attached or as the next word). */
  shortArg?: string;
  /** Long flags taking a value as the next word when given without `=`. */
  longArg?: readonly string[];
  /** For commands where `-x` may be an operand (chmod modes): is this word flags? */
  onlyFlags?: string;
}

const RM: FlagSpec = {
  order: 'rfidIv',
  alias: { R: 'r' },
  long: { recursive: 'r', force: 'f', dir: 'd', verbose: 'v' },
};
const CHOWN: FlagSpec = {
  order: 'RfvchHLP',
  long: { recursive: 'R', silent: 'f', quiet: 'f', verbose: 'v', changes: 'c', 'no-dereference': 'h' },
  onlyFlags: 'RfvchHLP',
};

const SPECS = new Map<string, FlagSpec>(Object.entries<FlagSpec>({
  rm: RM,
  rmdir: { order: 'pv', long: { parents: 'p', verbose: 'v' } },
  shred: {
    order: 'fuzvx',
    long: { force: 'f', remove: 'u', zero: 'z', verbose: 'v', exact: 'x' },
    shortArg: 'ns',
    longArg: ['iterations', 'size', 'random-source'],
  },
  chmod: { order: 'Rfvc', long: { recursive: 'R', silent: 'f', quiet: 'f', verbose: 'v', changes: 'c' }, onlyFlags: 'Rfvc' },
  chown: CHOWN,
  chgrp: CHOWN,
  cp: {
    order: 'rfaipnvdlsuxTbHLP',
    alias: { R: 'r' },
    long: {
      recursive: 'r', force: 'f', archive: 'a', interactive: 'i', 'no-clobber': 'n', verbose: 'v',
      link: 'l', 'symbolic-link': 's', update: 'u', 'one-file-system': 'x', 'no-target-directory': 'T',
      dereference: 'L', 'no-dereference': 'P',
    },
    shortArg: 'tS',
    longArg: ['target-directory', 'suffix'],
  },
  mv: {
    order: 'finvuTb',
    long: { force: 'f', interactive: 'i', 'no-clobber': 'n', verbose: 'v', update: 'u', 'no-target-directory': 'T' },
    shortArg: 'tS',
    longArg: ['target-directory', 'suffix'],
  },
  ln: {
    order: 'sfnvrTLPb',
    long: { symbolic: 's', force: 'f', 'no-dereference': 'n', verbose: 'v', relative: 'r', 'no-target-directory': 'T', logical: 'L', physical: 'P' },
    shortArg: 'tS',
    longArg: ['target-directory', 'suffix'],
  },
  wipefs: {
    order: 'afnqb',
    long: { all: 'a', force: 'f', 'no-act': 'n', quiet: 'q', backup: 'b' },
    shortArg: 'otO',
    longArg: ['offset', 'types', 'output'],
  },
}));

/** git sub-commands whose force/destructive flags are canonicalised. */
const GIT_SPECS = new Map<string, FlagSpec>(Object.entries<FlagSpec>({
  push: {
    order: 'fudnqv',
    long: { force: 'f', 'set-upstream': 'u', delete: 'd', 'dry-run': 'n', quiet: 'q', verbose: 'v' },
    shortArg: 'o',
    longArg: ['push-option', 'repo', 'receive-pack', 'exec'],
  },
  clean: {
    order: 'fdxXniq',
    long: { force: 'f', 'dry-run': 'n', interactive: 'i', quiet: 'q' },
    shortArg: 'e',
    longArg: ['exclude'],
  },
}));
/** git options before the sub-command that take a value as the next word. */
const GIT_GLOBAL_ARG = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--config-env']);

/** Appends the canonical flag words of argv[from..] to `out`, and returns the operands. */
function canonicalArgs(argv: readonly string[], from: number, spec: FlagSpec, out: string[]): string[] {
  let shorts = '';
  const valued: string[] = [];
  const longs: string[] = [];
  const operands: string[] = [];
  let k = from;
  for (; k < argv.length; k++) {
    const w = argv[k]!;
    if (w === '--') {
      k++;
      break;
    }
    if (w.length < 2 || w.charCodeAt(0) !== 45 /* - */) {
      operands.push(w);
      continue;
    }
    if (w.charCodeAt(1) === 45) {
      const eq = w.indexOf('=');
      const name = eq < 0 ? w.slice(2) : w.slice(2, eq);
      const short = eq < 0 ? spec.long[name] : undefined;
      if (short) shorts += short;
      else if (eq < 0 && spec.longArg?.includes(name) && k + 1 < argv.length) valued.push(`${w} ${argv[++k]}`);
      else longs.push(w);
      continue;
    }
    if (spec.onlyFlags && !allIn(w, 1, spec.onlyFlags)) {
      operands.push(w);
      continue;
    }
    for (let j = 1; j < w.length; j++) {
      const ch = spec.alias?.[w[j]!] ?? w[j]!;
      if (spec.shortArg?.includes(ch)) {
        const value = j + 1 < w.length ? w.slice(j + 1) : argv[++k];
        valued.push(value === undefined ? `-${ch}` : `-${ch} ${value}`);
        break;
      }
      shorts += ch;
    }
  }
  // Operands after `--` that look like flags keep their `--`, so `rm -- -rf` does not read as `rm -rf`.
  const dashed = k;
  let keepDashes = false;
  for (; k < argv.length; k++) {
    operands.push(argv[k]!);
    if (argv[k]!.charCodeAt(0) === 45) keepDashes = true;
  }
  if (shorts) out.push(`-${orderFlags(shorts, spec.order)}`);
  // Loops, not push(...list): a list can hold hundreds of thousands of words.
  for (const w of valued) out.push(w);
  for (const w of longs) out.push(w);
  if (keepDashes && dashed > from) out.push('--');
  return operands;
}

function allIn(w: string, from: number, chars: string): boolean {
  for (let j = from; j < w.length; j++) if (!chars.includes(w[j]!)) return false;
  return true;
}

/** Unique flags of `shorts`: those in `order` first, in that order, then the rest sorted. */
function orderFlags(shorts: string, order: string): string {
  let known = '';
  for (const ch of order) if (shorts.includes(ch)) known += ch;
  if (allIn(shorts, 0, order)) return known; // the usual case: only known flags
  const rest = [...new Set(shorts)].filter((ch) => !order.includes(ch)).sort();
  return known + rest.join('');
}

/** The words of `head`, then of `operands`, joined by spaces. */
function joined(head: readonly string[], operands: readonly string[]): string {
  return head.concat(operands).join(' ');
}

/** Component text: `binary` then argv[1..], flags canonicalised for destructive commands. */
export function canonicalText(binary: string, argv: readonly string[]): string {
  if (argv.length === 1) return binary;
  const spec = SPECS.get(binary);
  if (spec) {
    const head = [binary];
    return joined(head, canonicalArgs(argv, 1, spec, head));
  }
  if (binary === 'git') {
    let k = 1;
    while (k < argv.length && argv[k]!.charCodeAt(0) === 45) k += GIT_GLOBAL_ARG.has(argv[k]!) ? 2 : 1;
    const sub = k < argv.length ? GIT_SPECS.get(argv[k]!) : undefined;
    if (sub) {
      const head = [binary, ...argv.slice(1, k + 1)];
      return joined(head, canonicalArgs(argv, k + 1, sub, head));
    }
  }
  // join() builds a flat string; `+=` in a loop would build a deep rope on huge inputs.
  return argv[0] === binary ? argv.join(' ') : `${binary} ${argv.slice(1).join(' ')}`;
}

/** Commands each of whose operands is a target on its own: `rm -rf a b` deletes as `rm -rf a` and `rm -rf b` do. */
const PER_OPERAND = new Set(['rm', 'rmdir', 'shred', 'wipefs']);
/** A command with more operands than this is only seen whole (each spelling is one more string for every rule). */
export const MAX_OPERAND_TEXTS = 256;

/**
 * For a command with several operands that are each a target (rm, rmdir,
 * shred, wipefs), its canonical text once per operand: `rm -rf /tmp/x ~bob`
 * gives `rm -rf /tmp/x` and `rm -rf ~bob`. A pattern then sees each operand
 * alone, and its `*` cannot reach from one operand into the next. Empty for
 * one operand, or more than MAX_OPERAND_TEXTS.
 */
export function operandTexts(binary: string, argv: readonly string[]): string[] {
  const spec = PER_OPERAND.has(binary) ? SPECS.get(binary) : undefined;
  if (!spec) return [];
  const head = [binary];
  const operands = canonicalArgs(argv, 1, spec, head);
  if (operands.length < 2 || operands.length > MAX_OPERAND_TEXTS) return [];
  return operands.map((w) => joined(head, [w]));
}
