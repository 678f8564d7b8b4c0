// Option skipping for the commands the parser looks through: wrappers that
// are stripped (env, nohup, timeout …) and commands that run another command
// (sudo, xargs). Only the options that take a value need to be known.

export interface OptionSpec {
  /** Short options that take a value, attached (`-n5`) or as the next word (`-n 5`). */
  shortArg?: string;
  /** Long options (without `--`) that take the next word as value when given without `=`. */
  longArg?: readonly string[];
  /** Operands between the options and the command (`timeout 5 cmd` → 1). */
  positional?: number;
}

/** Index of the first word after the options that follow argv[from - 1]. */
export function skipOptions(argv: readonly string[], from: number, spec: OptionSpec): number {
  let k = from;
  while (k < argv.length) {
    const w = argv[k]!;
    if (w === '--') return k + 1;
    if (w.length < 2 || w.charCodeAt(0) !== 45 /* - */) return k;
    if (w.charCodeAt(1) === 45) {
      k += !w.includes('=') && spec.longArg?.includes(w.slice(2)) ? 2 : 1;
      continue;
    }
    let words = 1;
    for (let j = 1; j < w.length; j++) {
      if (spec.shortArg?.includes(w[j]!)) {
        if (j === w.length - 1) words = 2;
        break;
      }
    }
    k += words;
  }
  return k;
}

/** Wrappers stripped from the front of a command: they run the rest unchanged. */
export const WRAPPERS = new Map<string, OptionSpec>(Object.entries<OptionSpec>({
  command: {},
  builtin: {},
  exec: { shortArg: 'a' },
  nohup: {},
  setsid: {},
  busybox: {},
  nice: { shortArg: 'n', longArg: ['adjustment'] },
  ionice: { shortArg: 'cnp', longArg: ['class', 'classdata', 'pid'] },
  timeout: { shortArg: 'sk', longArg: ['signal', 'kill-after'], positional: 1 },
  stdbuf: { shortArg: 'ioe', longArg: ['input', 'output', 'error'] },
  time: { shortArg: 'fo', longArg: ['format', 'output'] },
}));

/** `env` options other than -S that take a value. */
export const ENV_ARG: OptionSpec = { shortArg: 'uCP', longArg: ['unset', 'chdir', 'block-signal', 'default-signal', 'ignore-signal'] };

/** Commands that run another command with other privileges: kept, and the command exposed. */
export const ELEVATORS = new Map<string, OptionSpec>(Object.entries<OptionSpec>({
  sudo: {
    shortArg: 'ugCDprtTUR',
    longArg: ['user', 'group', 'close-from', 'chdir', 'host', 'prompt', 'role', 'type', 'command-timeout', 'other-user', 'chroot'],
  },
  doas: { shortArg: 'uC' },
  pkexec: { longArg: ['user'] },
  run0: { shortArg: 'uDg', longArg: ['user', 'group', 'chdir', 'unit', 'property', 'description', 'slice', 'nice', 'setenv'] },
}));

/**
 * Commands that launch the command after their options (and `positional` operands) unchanged, or a shell
 * command given to one of `command` options: kept, and what they run exposed (origin `launched`). Not
 * stripped like `nohup`: their own options may write files (`strace -o`) or change the machine.
 * `noCommand` options make them act on a process instead (`taskset -p 1 4242`).
 */
export interface LauncherSpec extends OptionSpec {
  positional?: number;
  command?: readonly string[];
  noCommand?: readonly string[];
}
export const LAUNCHERS = new Map<string, LauncherSpec>(Object.entries<LauncherSpec>({
  taskset: { positional: 1, noCommand: ['-p', '--pid'] },
  chrt: { shortArg: 'TPD', positional: 1, noCommand: ['-p', '--pid'] },
  prlimit: { shortArg: 'p', noCommand: ['-p', '--pid'] },
  setpriv: {},
  flock: { shortArg: 'wE', longArg: ['timeout', 'wait', 'conflict-exit-code'], positional: 1, command: ['-c', '--command'] },
  strace: { shortArg: 'abeEIoOpPsSuX', longArg: ['output', 'trace', 'signal', 'status', 'env', 'user', 'attach', 'trace-path', 'string-limit', 'summary-sort-by'], noCommand: ['-p', '--attach'] },
  ltrace: { shortArg: 'aAeEnopsuDF', longArg: ['output'], noCommand: ['-p'] },
  runuser: { shortArg: 'ugGs', longArg: ['user', 'group', 'supp-group', 'shell', 'whitelist-environment'], command: ['-c', '--command', '--session-command'] },
  sg: { positional: 1, command: ['-c'] },
  script: { shortArg: 'EIOBTm', longArg: ['echo', 'log-in', 'log-out', 'log-io', 'log-timing', 'logging-format'], positional: Infinity, command: ['-c', '--command'] },
  screen: { shortArg: 'SceTpLhX', positional: 0 },
  unbuffer: {},
  caffeinate: { shortArg: 'tw' },
  valgrind: {},
  firejail: {},
  chronic: {},
}));

/** tmux subcommands whose arguments after the options are a shell command. */
export const TMUX_RUNS = new Set(['new', 'new-session', 'new-window', 'neww', 'split-window', 'splitw', 'respawn-pane', 'respawnp', 'respawn-window', 'respawnw', 'run-shell', 'run']);
export const TMUX: OptionSpec = { shortArg: 'ceFnstxylpTt' };

/** Binaries that run another command given in their arguments (exposed as extra components). */
export const RUNNERS = new Set(['eval', 'su', 'find', 'sed', 'gsed', 'xargs', 'watch', 'trap', 'mapfile', 'readarray', 'gdb', 'tmux', ...ELEVATORS.keys(), ...LAUNCHERS.keys()]);

/** `watch [options] COMMAND…` runs COMMAND through `sh -c`. */
export const WATCH: OptionSpec = { shortArg: 'nq', longArg: ['interval', 'equexit'] };

export const XARGS: OptionSpec = {
  // -e, -i and -l take their optional value attached only.
  shortArg: 'adEILnPs',
  longArg: ['arg-file', 'delimiter', 'eof', 'replace', 'max-lines', 'max-args', 'max-procs', 'max-chars', 'process-slot-var'],
};

/** Shells whose `-c STRING` is parsed as a command line. */
export const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ksh93', 'ash', 'mksh', 'yash', 'fish', 'rbash', 'csh', 'tcsh', '$SHELL', '${SHELL}', '$BASH', '${BASH}']);

/**
 * bash's long options, which it also takes with one dash (`-login`, `-rcfile F`); other shells read such a
 * word as a cluster of letters (dash runs `-rcfile F -c X` as the command F).
 */
const BASH_LONG_OPTIONS = new Set(['debug', 'debugger', 'dump-po-strings', 'dump-strings', 'help', 'login', 'noediting', 'noprofile', 'norc',
  'posix', 'pretty-print', 'protected', 'restricted', 'rpm-requires', 'verbose', 'version', 'wordexp', 'rcfile', 'init-file']);
const BASH_LONG_WITH_VALUE = new Set(['rcfile', 'init-file', 'init-command']);

interface ShellScript {
  script: string;
  operands: string[];
  privileged: boolean;
}

/** The STRING of `sh [options] -c STRING` as one shell reads its options (with bash's one-dash long options or without). */
function readShellScript(argv: readonly string[], bashLong: boolean): ShellScript | undefined {
  let hasC = false;
  // `-p` / `-o privileged`: a set-uid shell keeps its rights (GTFOBins' way to a root shell).
  let privileged = false;
  let k = 1;
  for (; k < argv.length; k++) {
    const w = argv[k]!;
    if (w === '--' || w === '-') {
      k++;
      break;
    }
    const c0 = w.charCodeAt(0);
    if (w.length < 2 || (c0 !== 45 && c0 !== 43) /* - + */) break;
    const long = w.charCodeAt(1) === 45 ? w.slice(2) : bashLong && c0 === 45 && BASH_LONG_OPTIONS.has(w.slice(1)) ? w.slice(1) : undefined;
    if (long !== undefined) {
      if (long === 'command') hasC = true;
      else if (BASH_LONG_WITH_VALUE.has(long)) k++;
      continue;
    }
    for (let j = 1; j < w.length; j++) {
      const ch = w[j];
      if (ch === 'c') hasC = true;
      else if (ch === 'p') privileged = true;
      else if (ch === 'o' || ch === 'O') {
        k++;
        if (argv[k] === 'privileged') privileged = true;
        break;
      }
    }
  }
  return hasC && k < argv.length ? { script: argv[k]!, operands: argv.slice(k + 1), privileged } : undefined;
}

/**
 * The STRING of `sh [options] -c STRING`, or undefined when the shell is not run with -c. Which shell reads
 * the options is not known from its name (`sh` is bash on some systems), so where bash and the others would
 * read different strings (`-login -c X`, `-rcfile F -c X`), the other one is `also`: both may run.
 */
export function shellCommandString(argv: readonly string[]): (ShellScript & { also?: ShellScript }) | undefined {
  const bash = readShellScript(argv, true);
  const other = readShellScript(argv, false);
  const first = bash ?? other;
  if (!first) return undefined;
  const also = bash && other && (other.script !== bash.script || other.operands.join('\0') !== bash.operands.join('\0')) ? other : undefined;
  return also ? { ...first, privileged: first.privileged || also.privileged, also } : first;
}

/**
 * The value of one of the options `names` in argv (`-c CMD`, last in a cluster `-lc CMD`, `--command=CMD`),
 * if given: the command string of `su`, `flock`, `runuser`, `script` …
 */
export function optionValue(argv: readonly string[], names: readonly string[]): string | undefined {
  for (let k = 1; k < argv.length; k++) {
    const w = argv[k]!;
    if (names.includes(w) || (/^-[A-Za-z]+$/.test(w) && names.some((n) => /^-[A-Za-z]$/.test(n) && w.endsWith(n[1]!)))) return argv[k + 1];
    const long = names.find((n) => n.startsWith('--') && w.startsWith(`${n}=`));
    if (long) return w.slice(long.length + 1);
  }
  return undefined;
}

const FIND_EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir']);

/** The commands run by `find … -exec CMD … ;` (or `+`), in order. */
export function findExecCommands(argv: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let k = 1; k < argv.length; k++) {
    if (!FIND_EXEC.has(argv[k]!)) continue;
    const start = k + 1;
    let end = start;
    while (end < argv.length && argv[end] !== ';' && argv[end] !== '+') end++;
    if (end > start) out.push(argv.slice(start, end));
    k = end;
  }
  return out;
}
