// Turns the words of one simple command into components: strips assignments
// and wrappers, unwraps `sh -c`, resolves variables set earlier in the line,
// and exposes the commands that eval, sudo & co, su, watch, find -exec, xargs,
// sed scripts and `/???/r?`-style path globs would run as extra components.
import { compileWildcard } from '../glob/wildcard';
import { canonicalText } from './canonical';
import {
  ELEVATORS, ENV_ARG, LAUNCHERS, RUNNERS, SHELLS, TMUX, TMUX_RUNS, WATCH, WRAPPERS, XARGS, findExecCommands, optionValue, shellCommandString, skipOptions,
} from './options';
import type { Emitter, ParseContext } from './emitter';
import { hereXargsCommands } from './piped';
import { sedEffects, sedScripts } from './sed-script';
import type { CommandComponent, ComponentOrigin, Redirect } from './types';

/** Nesting cap for substitutions and unwrapped command strings; deeper text stays opaque. */
export const MAX_DEPTH = 16;
/** Cap on components per parse; the rest of the input stays opaque. */
export const MAX_COMPONENTS = 4096;

export interface Level {
  /** Commands of this level, in order (pipelines are contiguous). */
  main: CommandComponent[];
  /** Commands nested inside them (substitutions, -exec, sudo …). */
  extras: CommandComponent[];
}

/** dst.push(...src) without the argument-count limit of a spread call. */
export function appendAll<T>(dst: T[], src: readonly T[]): void {
  for (const x of src) dst.push(x);
}

/**
 * The part of a word after its last `/`, not counting slashes inside `$( … )`,
 * `${ … }` or backticks: `$(curl -s http://x/y)` stays whole rather than `y)`,
 * `$(dirname x)/bin/rm` is `rm`.
 */
export function basename(word: string): string {
  if (word.indexOf('$') < 0 && word.indexOf('`') < 0) {
    const slash = word.lastIndexOf('/');
    return slash < 0 ? word : word.slice(slash + 1);
  }
  let depth = 0;
  let tick = false;
  let slash = -1;
  for (let j = 0; j < word.length; j++) {
    const c = word[j];
    if (c === '`') tick = !tick;
    else if (c === '$' && (word[j + 1] === '(' || word[j + 1] === '{')) {
      depth++;
      j++;
    } else if ((c === '(' || c === '{') && depth > 0) depth++;
    else if ((c === ')' || c === '}') && depth > 0) depth--;
    else if (c === '/' && depth === 0 && !tick) slash = j;
  }
  return slash < 0 ? word : word.slice(slash + 1);
}

/** Length of the `NAME=` / `NAME+=` prefix of an assignment word, or 0. */
function assignmentPrefix(w: string): number {
  const c0 = w.charCodeAt(0);
  if (!(c0 === 95 || (c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122))) return 0;
  for (let j = 1; j < w.length; j++) {
    const c = w.charCodeAt(j);
    if (c === 61 /* = */) return j + 1;
    if (c === 43 /* + */ && w.charCodeAt(j + 1) === 61) return j + 2;
    if (!(c === 95 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return 0;
  }
  return 0;
}

export function opaqueComponent(text: string, origin: ComponentOrigin): CommandComponent {
  return { argv: [text], binary: '', text, origin, redirects: [], pipeToNext: false, env: {}, wrappers: [], opaque: true };
}

/** Index just past `env`'s options at argv[from..], and its -S (split-string) value if given. */
function envOptions(argv: readonly string[], from: number): { next: number; split?: string } {
  let k = from;
  while (k < argv.length) {
    const w = argv[k]!;
    if (w === '--') return { next: k + 1 };
    if (w === '-') {
      k++;
      continue;
    }
    if (w.length < 2 || w[0] !== '-') return { next: k };
    if (w[1] === '-') {
      if (w.startsWith('--split-string=')) return { next: k + 1, split: w.slice(15) };
      if (w === '--split-string') return { next: k + 2, split: argv[k + 1] ?? '' };
      k += !w.includes('=') && ENV_ARG.longArg!.includes(w.slice(2)) ? 2 : 1;
      continue;
    }
    let step = 1;
    for (let j = 1; j < w.length; j++) {
      const ch = w[j]!;
      if (ch === 'S') {
        return j + 1 < w.length ? { next: k + 1, split: w.slice(j + 1) } : { next: k + 2, split: argv[k + 1] ?? '' };
      }
      if (ENV_ARG.shortArg!.includes(ch)) {
        if (j === w.length - 1) step = 2;
        break;
      }
    }
    k += step;
  }
  return { next: k };
}

/**
 * Emits the components of one simple command. The command itself goes to
 * `main` (or its unwrapped `sh -c` contents do); commands it runs go to
 * `extras`. Returns the index in `main` of the component whose stdout is the
 * command's stdout, or -1 when nothing was emitted to `main`.
 */
export function emitCommand(
  words: string[],
  redirects: Redirect[],
  origin: ComponentOrigin,
  main: CommandComponent[],
  extras: CommandComponent[],
  depth: number,
  em: Emitter,
  globs?: ReadonlySet<string>,
): number {
  let env: Record<string, string> | undefined;
  const wrappers: string[] = [];
  let assigns = '';
  let argv = words;
  if (em.ctx.vars || em.ctx.positional || em.ctx.argZero !== undefined) {
    const expanded = new Set(globs);
    argv = substituteVars(words, em.ctx, expanded);
    if (expanded.size) globs = expanded;
    // A redirection's target too (`f=~/.bashrc; echo x >> $f`): one word, or bash's "ambiguous redirect".
    redirects = redirects.map((r) => {
      if (!r.target.includes('$') || r.op.startsWith('<<')) return r;
      const [target, ...more] = substituteVars([r.target], em.ctx, new Set());
      return target === undefined || more.length || target === r.target ? r : { ...r, target };
    });
  }
  let k = 0;
  let lastWrapper = -1;
  for (;;) {
    let eq: number;
    while (k < argv.length && (eq = assignmentPrefix(argv[k]!)) > 0) {
      const w = argv[k++]!;
      env ??= {};
      // Defined, not assigned: `__proto__=x` is a variable like any other, not the object's prototype.
      Object.defineProperty(env, w.slice(0, w.charCodeAt(eq - 2) === 43 ? eq - 2 : eq - 1), { value: w.slice(eq), enumerable: true, writable: true, configurable: true });
      assigns = assigns ? `${assigns} ${w}` : w;
    }
    if (k >= argv.length) break;
    const name = basename(argv[k]!);
    if (name === 'env') {
      wrappers.push(name);
      lastWrapper = k;
      const { next, split } = envOptions(argv, k + 1);
      if (split !== undefined) {
        argv = em.splitWords(split, depth + 1).concat(argv.slice(next));
        k = 0;
        lastWrapper = -1;
      } else k = next;
      continue;
    }
    const spec = WRAPPERS.get(name);
    if (!spec) break;
    wrappers.push(name);
    lastWrapper = k;
    k = skipOptions(argv, k + 1, spec) + (spec.positional ?? 0);
  }
  if (k >= argv.length && lastWrapper >= 0) {
    // A wrapper with nothing to run (`env`, `time`) is itself the command.
    k = lastWrapper;
    wrappers.pop();
  }
  if (k > 0) argv = argv.slice(k);
  if (argv.length === 0) {
    if (!assigns && redirects.length === 0) return -1;
    if (env) rememberVars(em, env);
  } else {
    const words = braceWords(argv[0]!);
    if (words) argv = words.concat(argv.slice(1));
  }
  const binary = argv.length ? basename(argv[0]!) : '';
  if (DECLARERS.has(binary)) rememberDeclared(em, argv);
  const comp: CommandComponent = {
    argv,
    binary,
    text: argv.length ? canonicalText(binary, argv) : assigns,
    origin,
    redirects,
    pipeToNext: false,
    env: env ?? {},
    wrappers,
  };
  if (globs) {
    const globArgs = globbedArgs(argv, globs);
    if (globArgs) comp.globArgs = globArgs;
  }
  em.ctx.count++;

  // (`/proc/self/exe` is the program that reads the line: the shell)
  if (SHELLS.has(binary) || /^\/proc\/[^/]+\/exe$/.test(argv[0] ?? '')) {
    const { script, operands, privileged, also } = shellCommandString(argv) ?? { script: '', operands: [], privileged: false };
    // The string another shell would run instead (`sh -rcfile F -c X` runs X under bash, F under dash): judged too.
    if (also && also.script.trim() !== '' && depth < MAX_DEPTH) {
      const other = parseWithOperands(em, also.script, also.operands, depth);
      appendAll(extras, [...other.main, ...other.extras]);
    }
    if (script.trim() !== '') {
      if (depth >= MAX_DEPTH) em.tooDeep();
      else {
        const inner = parseWithOperands(em, script, operands, depth);
        if (inner.main.length || inner.extras.length) {
          const label = `${binary} -c`;
          for (const list of [inner.main, inner.extras]) {
            for (const c of list) {
              c.wrappers = [...wrappers, label, ...c.wrappers];
              if (env) c.env = { ...env, ...c.env };
            }
          }
          for (const c of inner.main) if (redirects.length) c.redirects = c.redirects.concat(redirects);
          appendAll(main, inner.main);
          appendAll(extras, inner.extras);
          // A privileged shell is judged itself too: allowing what it runs is no reason to allow it.
          if (privileged) extras.push(comp);
          return inner.main.length ? main.length - 1 : -1;
        }
      }
    }
  }
  main.push(comp);
  const index = main.length - 1;
  if (argv.length > 1 && RUNNERS.has(binary)) exposeInnerCommands(comp, extras, depth, em, globs);
  if (binary !== argv[0] && /[*?[]/.test(binary)) exposeGlobbedBinary(comp, extras, depth, em, globs);
  if (binary === argv[0] && em.ctx.functions?.has(binary)) exposeFunctionCall(comp, extras, depth, em);
  return index;
}

/** Indexes of argv words (after the program) in `globs`, or undefined for none. */
function globbedArgs(argv: readonly string[], globs: ReadonlySet<string>): number[] | undefined {
  let out: number[] | undefined;
  for (let k = 1; k < argv.length; k++) if (globs.has(argv[k]!)) (out ??= []).push(k);
  return out;
}

/** Function calls expanded per parse (a function calling others calling others …). */
const MAX_FUNCTION_CALLS = 32;

/**
 * `text` parsed with `$1`…, `$@` and `$*` standing for `args` and `$0` for `argZero`, as the shell runs a
 * function body or `sh -c SCRIPT NAME ARG…` (`sh -c '"$@"' _ rm -rf /` runs rm); the caller's values after.
 */
function parseWithArgs(em: Emitter, text: string, origin: ComponentOrigin, depth: number, args: string[], argZero: string | undefined): Level {
  const { positional, argZero: zero } = em.ctx;
  em.ctx.positional = args;
  em.ctx.argZero = argZero;
  try {
    return em.parseText(text, origin, depth + 1);
  } finally {
    em.ctx.positional = positional;
    em.ctx.argZero = zero;
  }
}

/** `sh -c SCRIPT NAME ARG…`: SCRIPT with the operands as its `$0`, `$1`…; without operands, `$1`… stay as written. */
function parseWithOperands(em: Emitter, script: string, operands: string[], depth: number): Level {
  if (!operands.length) return em.parseText(script, 'shell-c', depth + 1);
  return parseWithArgs(em, script, 'shell-c', depth, operands.slice(1), operands[0]);
}

/**
 * A call of a function defined earlier in the line (`f(){ rm -rf "$1"; }; f /`):
 * its body with `$1`…, `$@` and `$*` replaced by the call's arguments, as
 * extra components. A function is not expanded inside its own body.
 */
function exposeFunctionCall(comp: CommandComponent, extras: CommandComponent[], depth: number, em: Emitter): void {
  const ctx = em.ctx;
  const name = comp.binary;
  if (ctx.activeFunctions?.has(name) || (ctx.functionCalls ?? 0) >= MAX_FUNCTION_CALLS) return;
  if (depth >= MAX_DEPTH) return em.tooDeep();
  ctx.functionCalls = (ctx.functionCalls ?? 0) + 1;
  (ctx.activeFunctions ??= new Set()).add(name);
  try {
    // A function's $0 is the shell's, as it was.
    const inner = parseWithArgs(em, ctx.functions!.get(name)!, 'function', depth, comp.argv.slice(1), ctx.argZero);
    appendAll(extras, inner.main);
    appendAll(extras, inner.extras);
  } finally {
    ctx.activeFunctions.delete(name);
  }
}

/** Builtins whose NAME=value arguments set variables. */
const DECLARERS = new Set(['export', 'declare', 'typeset', 'local', 'readonly']);

function rememberVars(em: Emitter, env: Record<string, string>): void {
  const vars = (em.ctx.vars ??= new Map());
  for (const name in env) vars.set(name, env[name]!);
}

function rememberDeclared(em: Emitter, argv: readonly string[]): void {
  for (let k = 1; k < argv.length; k++) {
    const w = argv[k]!;
    const eq = assignmentPrefix(w);
    if (eq > 0 && w.charCodeAt(eq - 2) !== 43) (em.ctx.vars ??= new Map()).set(w.slice(0, eq - 1), w.slice(eq));
  }
}

/**
 * Words with `$name` / `${name}` references to variables assigned earlier
 * (and, in a function body, `$1`…`$9`, `$@`, `$*`), those references
 * replaced. Words that come out with glob characters are added to `globs`:
 * an unquoted expansion is globbed.
 */
function substituteVars(words: string[], ctx: ParseContext, globs: Set<string>): string[] {
  const vars = ctx.vars;
  const positional = ctx.positional;
  const value = (name: string): string | undefined => {
    if (positional && /^[1-9@*]$/.test(name)) return name === '@' || name === '*' ? positional.join(' ') : (positional[+name - 1] ?? '');
    if (name === '0' && ctx.argZero !== undefined) return ctx.argZero;
    return vars?.get(name);
  };
  let out: string[] | undefined;
  let split: RegExp | undefined;
  for (let k = 0; k < words.length; k++) {
    const w = words[k]!;
    const replaced = w.includes('$') ? w.replace(VAR_REF, (ref, braced?: string, bare?: string) => value(braced ?? bare!) ?? ref) : w;
    if (replaced === w) {
      out?.push(w);
      continue;
    }
    out ??= words.slice(0, k);
    // The value is split into words as an unquoted expansion would be
    // (`x='rm -rf /'; $x`), on the characters of IFS when the line set it
    // (`IFS=_; x=rm_-rf_/; $x`); quoting is gone by now, so "$x" is split too.
    // A word that holds a blank of its own was quoted (`bash -c "f $x"`): its value stays one word there.
    split ??= fieldSplitter(vars?.get('IFS'));
    const parts = /[ \t\n]/.test(w) ? [replaced] : replaced.split(split).filter((p) => p !== '');
    appendAll(out, parts);
    for (const p of parts) if (/[*?[{]/.test(p)) globs.add(p);
  }
  return out ?? words;
}
const VAR_REF = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*|[0-9@*])\}|([A-Za-z_][A-Za-z0-9_]*|[0-9@*]))/g;

/** The separators of field splitting: IFS's characters, or blanks when IFS is unset. */
function fieldSplitter(ifs: string | undefined): RegExp {
  if (ifs === undefined) return /[ \t\n]+/;
  if (ifs === '') return /$^/;
  return new RegExp(`[${ifs.replace(/[\]\\^-]/g, '\\$&')}]+`);
}

/** A brace list bash expands into words, also inside a word: `{rm,-rf,/}` → rm -rf /, `{r,}m` → rm m (empty words dropped). */
function braceWords(w: string): string[] | undefined {
  const m = /^([^{}]*)\{([^{}]*,[^{}]*)\}([^{}]*)$/.exec(w);
  if (!m || m[1]!.endsWith('$')) return undefined;
  const words = m[2]!.split(',').map((a) => m[1]! + a + m[3]!).filter(Boolean);
  return words.length ? words : undefined;
}

/**
 * Programs worth recognising behind a path glob (`/???/r? -rf /` runs /bin/rm,
 * `/???/b??h` runs /bin/bash): the pathname expansion is done against this
 * list, as the file system is not consulted.
 */
const GLOB_TARGETS = [
  'rm', 'rmdir', 'shred', 'dd', 'mkfs', 'wipefs', 'chmod', 'chown', 'cp', 'mv', 'ln', 'cat', 'tee', 'head', 'tail', 'less',
  'sh', 'bash', 'zsh', 'dash', 'ksh', 'nc', 'ncat', 'netcat', 'socat', 'telnet', 'curl', 'wget', 'ssh', 'scp',
  'python', 'python3', 'perl', 'ruby', 'php', 'node', 'awk', 'sed', 'base64', 'xxd', 'openssl', 'sudo', 'su', 'doas',
  'crontab', 'systemctl', 'kill', 'pkill', 'env', 'find', 'xargs', 'tar', 'zip', 'id', 'whoami', 'passwd',
];
/** With more matches than this the glob says nothing useful (a bare `*`). */
const MAX_GLOB_TARGETS = 4;

function exposeGlobbedBinary(comp: CommandComponent, extras: CommandComponent[], depth: number, em: Emitter, globs?: ReadonlySet<string>): void {
  const matches = compileWildcard(comp.binary);
  const names = GLOB_TARGETS.filter((name) => matches(name));
  if (names.length === 0 || names.length > MAX_GLOB_TARGETS) return;
  for (const name of names) runInto(extras, 'glob-expansion', [name, ...comp.argv.slice(1)], depth, em, globs);
}

/** Adds the commands that eval, sudo & co, su, find -exec and xargs run to `extras`. */
function exposeInnerCommands(comp: CommandComponent, extras: CommandComponent[], depth: number, em: Emitter, globs?: ReadonlySet<string>): void {
  const { argv, binary } = comp;
  if (binary === 'eval') return parseEvalText(extras, argv.slice(1).join(' '), depth, em);
  if (binary === 'su') {
    const script = optionValue(argv, ['-c', '--command']);
    if (script !== undefined) parseInto(extras, 'elevated', script, depth, em);
    return;
  }
  if (binary === 'watch') {
    const k = skipOptions(argv, 1, WATCH);
    if (k < argv.length) parseInto(extras, 'shell-c', argv.slice(k).join(' '), depth, em);
    return;
  }
  if (binary === 'find') {
    for (const words of findExecCommands(argv)) runInto(extras, 'find-exec', words, depth, em, globs);
    return;
  }
  if (binary === 'sed' || binary === 'gsed') return exposeSedEffects(argv, extras, depth, em);
  if (exposeLaunched(comp, extras, depth, em, globs)) return;
  const spec = binary === 'xargs' ? XARGS : ELEVATORS.get(binary);
  if (!spec) return;
  const k = skipOptions(argv, 1, spec);
  if (k < argv.length) runInto(extras, binary === 'xargs' ? 'xargs' : 'elevated', argv.slice(k), depth, em, globs);
  // xargs fed by its own here-string runs its command on it (`xargs rm -rf <<< /`).
  if (binary === 'xargs') for (const words of hereXargsCommands(comp)) runInto(extras, 'xargs', words, depth, em);
}

/**
 * Adds what launchers (LAUNCHERS), tmux, gdb's shell escapes, trap and mapfile's callbacks run to `extras`;
 * false for other binaries.
 */
function exposeLaunched(comp: CommandComponent, extras: CommandComponent[], depth: number, em: Emitter, globs?: ReadonlySet<string>): boolean {
  const { argv, binary } = comp;
  if (binary === 'trap') {
    // `trap 'CMD' EXIT`: the shell runs CMD later
    const k = argv[1] === '--' ? 2 : 1;
    if (argv.length > k + 1 && !argv[k]!.startsWith('-')) parseInto(extras, 'eval', argv[k]!, depth, em);
    return true;
  }
  if (binary === 'mapfile' || binary === 'readarray') {
    const callback = optionValue(argv, ['-C']);
    if (callback !== undefined) parseInto(extras, 'eval', callback, depth, em);
    return true;
  }
  if (binary === 'gdb') {
    // `-ex '!CMD'` and `-ex 'shell CMD'` run a shell command; `--args PROG …` runs PROG
    for (let k = 1; k < argv.length; k++) {
      const w = argv[k]!;
      if (w === '--args') {
        if (k + 1 < argv.length) runInto(extras, 'launched', argv.slice(k + 1), depth, em, globs);
        break;
      }
      if (!['-ex', '--ex', '-eval-command', '--eval-command'].includes(w)) continue;
      const m = /^\s*(?:!|shell\s|pipe\s.*\|)(.*)$/s.exec(argv[k + 1] ?? '');
      if (m) parseInto(extras, 'shell-c', m[1]!, depth, em);
    }
    return true;
  }
  if (binary === 'tmux') {
    const sub = skipOptions(argv, 1, { shortArg: 'cfLST' });
    if (sub < argv.length && TMUX_RUNS.has(argv[sub]!)) {
      const k = skipOptions(argv, sub + 1, TMUX);
      if (k < argv.length) parseInto(extras, 'shell-c', argv.slice(k).join(' '), depth, em);
    }
    return true;
  }
  const spec = LAUNCHERS.get(binary);
  if (!spec) return false;
  if (spec.noCommand?.some((o) => argv.includes(o))) return true;
  const script = spec.command ? optionValue(argv, spec.command) : undefined;
  if (script !== undefined) {
    parseInto(extras, 'shell-c', script, depth, em);
    return true;
  }
  let k = skipOptions(argv, 1, spec);
  k += Math.min(spec.positional ?? 0, argv.length - k);
  if (k < argv.length) runInto(extras, 'launched', argv.slice(k), depth, em, globs);
  return true;
}

/**
 * Adds what sed's scripts do as the commands that would do it: `e CMD` runs CMD, a bare `e` or `s///e`
 * runs its input with `sh`, `w FILE` writes FILE as `tee FILE` would, `r FILE` reads it as `cat FILE`.
 */
function exposeSedEffects(argv: string[], extras: CommandComponent[], depth: number, em: Emitter): void {
  for (const script of sedScripts(argv) ?? []) {
    const fx = sedEffects(script);
    for (const command of fx.commands) parseInto(extras, 'shell-c', command, depth, em);
    if (fx.runsInput) runInto(extras, 'launched', ['sh'], depth, em);
    for (const file of fx.writes) runInto(extras, 'launched', ['tee', file], depth, em);
    for (const file of fx.reads) runInto(extras, 'launched', ['cat', file], depth, em);
  }
}

/** Emits the command `words` (run by another one at `depth`) into `extras`, within the caps. */
export function runInto(
  extras: CommandComponent[],
  origin: ComponentOrigin,
  words: string[],
  depth: number,
  em: Emitter,
  globs?: ReadonlySet<string>,
): void {
  if (depth >= MAX_DEPTH) em.tooDeep();
  else if (em.ctx.count >= MAX_COMPONENTS) em.tooMany();
  else emitCommand(words, [], origin, extras, extras, depth + 1, em, globs);
}

/**
 * Adds the commands of eval's text. Text that is one substitution and nothing else (`eval "$(ssh-agent -s)"`)
 * runs that command's output, which no rule can read: rules see the eval, not a command named `$(…)`
 * (which standard.yaml denies as obfuscation, where an eval of computed text is asked about).
 */
function parseEvalText(extras: CommandComponent[], text: string, depth: number, em: Emitter): void {
  if (depth >= MAX_DEPTH) return em.tooDeep();
  const inner = em.parseText(text, 'eval', depth + 1);
  const only = inner.main.length === 1 ? inner.main[0]! : undefined;
  // The substitution's own commands are components already, found in eval's argument.
  if (only && only.argv.length === 1 && /^(\$\(|`)/.test(only.argv[0]!)) return;
  appendAll(extras, inner.main);
  appendAll(extras, inner.extras);
}

function parseInto(extras: CommandComponent[], origin: ComponentOrigin, text: string, depth: number, em: Emitter): void {
  if (depth >= MAX_DEPTH) return em.tooDeep();
  const inner = em.parseText(text, origin, depth + 1);
  appendAll(extras, inner.main);
  appendAll(extras, inner.extras);
}
