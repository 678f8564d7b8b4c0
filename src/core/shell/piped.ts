// Text fed to a command through a pipe. Scripts fed to a shell:
// `echo 'rm -rf /' | sh`, `printf '\x72\x6d -rf /' | bash`,
// `echo cm0gLXJmIC8= | base64 -d | sh`, `base64 -d <<< cm0gLXJmIC8= | sh`;
// and arguments fed to xargs: `echo / | xargs rm -rf`, `find ~ | xargs rm -rf`.
// The text is rebuilt from echo/printf/here-strings, a plain `find` and a few
// decoders, so the commands hidden in it become components like any other.
import { decodeEscapes } from './escapes';
import { SHELLS, XARGS, skipOptions } from './options';
import type { CommandComponent } from './types';

/** Decoded scripts larger than this are not parsed. */
const MAX_SCRIPT = 1 << 20;
/** xargs input with more items than this is not turned into commands. */
const MAX_ITEMS = 4096;

/** Does this shell invocation read its script from stdin (no script-file operand)? */
function readsStdin(argv: readonly string[]): boolean {
  for (let k = 1; k < argv.length; k++) {
    const w = argv[k]!;
    if (w === '-s' || w === '-' || w === '--') return true;
    if (w === '-o' || w === '+o') k++;
    else if (w[0] !== '-' && w[0] !== '+') return false;
  }
  return true;
}

/** What `echo [-neE] …` prints. */
function echoOutput(argv: readonly string[]): string {
  let k = 1;
  let escapes = false;
  while (k < argv.length && /^-[neE]+$/.test(argv[k]!)) {
    if (argv[k]!.includes('e')) escapes = true;
    k++;
  }
  const text = argv.slice(k).join(' ');
  return escapes ? decodeEscapes(text) : text;
}

/** What `printf FORMAT ARGS…` prints (conversions filled in order, escapes decoded). */
function printfOutput(argv: readonly string[]): string {
  const args = argv.slice(2);
  let next = 0;
  // Flags, then a width that cannot start with 0: no two parts can match the same text, so no backtracking.
  const filled = (argv[1] ?? '').replace(/%(%|[-+ #0]*(?:[1-9]\d*)?(?:\.\d+)?[sbdiuxXoc])/g, (_, conv: string) => {
    if (conv === '%') return '%';
    const arg = args[next++] ?? '';
    return conv.endsWith('b') ? decodeEscapes(arg) : arg;
  });
  return decodeEscapes(filled);
}

/** `find` options before the paths. */
const FIND_GLOBAL = /^-([HLP]|D.*|O\d*)$/;
/** Expression words that only change how every file below the paths is listed, not which. */
const FIND_LISTING = new Set(['-print', '-print0', '-depth', '-xdev', '-mount', '-follow', '-noleaf', '-ignore_readdir_race']);
const FIND_DEPTH = new Set(['-mindepth', '-maxdepth']);
/** Tests that name one subtree, which `-prune -o` leaves out of an otherwise complete listing. */
const FIND_NAMING = new Set(['-path', '-wholename', '-name', '-ipath', '-iname']);

/** `-path X -prune -o` at argv[k]: the listing goes on with everything else. */
function isPrunedBranch(argv: readonly string[], k: number): boolean {
  return argv[k + 2] === '-prune' && argv[k + 3] === '-o';
}

/**
 * The paths a `find` lists everything below (one a line), when it has no
 * tests: `find . | xargs rm -rf` removes what `rm -rf .` would. Undefined for
 * a find that selects files (`-name '*.pyc'`).
 */
function findOutput(argv: readonly string[]): string | undefined {
  let k = 1;
  while (k < argv.length && FIND_GLOBAL.test(argv[k]!)) k++;
  const paths: string[] = [];
  for (; k < argv.length && !/^[-(!]/.test(argv[k]!); k++) paths.push(argv[k]!);
  for (; k < argv.length; k++) {
    if (FIND_DEPTH.has(argv[k]!)) k++;
    else if (FIND_NAMING.has(argv[k]!) && isPrunedBranch(argv, k)) k += 3; // `-path ./.git -prune -o`: all but one subtree
    else if (!FIND_LISTING.has(argv[k]!)) return undefined;
  }
  const end = argv.includes('-print0') ? '\0' : '\n';
  return (paths.length ? paths : ['.']).map((p) => p + end).join('');
}

/** Text a pipeline's first command writes, or undefined when it cannot be known. */
function producedText(c: CommandComponent): string | undefined {
  if (c.binary === 'echo') return echoOutput(c.argv);
  if (c.binary === 'printf' && c.argv.length > 1) return printfOutput(c.argv);
  if (c.binary === 'find') return findOutput(c.argv);
  const here = hereText(c);
  return here === undefined ? undefined : decode(c, here);
}

/** What a component reads from its own here-string or heredoc, if it has one. */
function hereText(c: CommandComponent): string | undefined {
  const here = c.redirects.find((r) => r.op === '<<<' || r.op === '<<' || r.op === '<<-');
  if (!here) return undefined;
  return here.op === '<<<' ? `${here.target}\n` : (here.body ?? '');
}

/** The commands an xargs fed by its own here-string (or heredoc) runs: `xargs rm -rf <<< /` runs `rm -rf /`. */
export function hereXargsCommands(c: CommandComponent): string[][] {
  const out: string[][] = [];
  const text = hereText(c);
  if (text !== undefined) appendCommands(out, c.argv, text);
  return out;
}

/** `text` passed through a filter command, or undefined for an unknown filter. */
function decode(c: CommandComponent, text: string): string | undefined {
  const args = c.argv.slice(1);
  switch (c.binary) {
    case 'cat':
      return args.every((a) => a === '-') ? text : undefined;
    case 'base64':
    case 'base32':
      if (!args.some((a) => a === '-d' || a === '--decode' || a === '-D' || /^-[a-zA-Z]*d/.test(a))) return undefined;
      return c.binary === 'base64' ? Buffer.from(text, 'base64').toString('utf8') : undefined;
    case 'xxd':
      return args.includes('-r') && args.includes('-p') ? Buffer.from(text.replace(/\s+/g, ''), 'hex').toString('utf8') : undefined;
    case 'rev':
      return text.split('\n').map((line) => [...line].reverse().join('')).join('\n');
    default:
      return undefined;
  }
}

/**
 * For each pipeline stage of `main` whose stdin is known, the stage and that
 * text: what the first command writes, through the filters in between.
 */
function* pipedInputs(main: readonly CommandComponent[]): Generator<{ stage: CommandComponent; text: string }> {
  for (let i = 0; i < main.length; i++) {
    if (!main[i]!.pipeToNext || (i > 0 && main[i - 1]!.pipeToNext)) continue;
    let text = producedText(main[i]!);
    for (let j = i + 1; j < main.length && text !== undefined && text.length <= MAX_SCRIPT; j++) {
      yield { stage: main[j]!, text };
      if (!main[j]!.pipeToNext) break;
      text = decode(main[j]!, text);
    }
  }
}

/** The scripts that pipelines in `main` feed to a shell's stdin. */
export function pipedScripts(main: readonly CommandComponent[]): string[] {
  const out: string[] = [];
  for (const { stage, text } of pipedInputs(main)) {
    if (SHELLS.has(stage.binary) && readsStdin(stage.argv) && text.trim()) out.push(text);
  }
  return out;
}

/**
 * The commands xargs stages of `main` run on their piped input
 * (`echo / | xargs rm -rf` runs `rm -rf /`), as argument lists.
 */
export function pipedXargsCommands(main: readonly CommandComponent[]): string[][] {
  const out: string[][] = [];
  for (const { stage, text } of pipedInputs(main)) {
    if (stage.binary === 'xargs') appendCommands(out, stage.argv, text);
  }
  return out;
}

/** xargs's input split into items (-0, -d), and the command run on them (-I replaces a string). */
function appendCommands(out: string[][], argv: readonly string[], input: string): void {
  let sep: string | RegExp = /\s+/;
  let replace: string | undefined;
  for (let k = 1; k < argv.length && argv[k]!.startsWith('-') && argv[k] !== '--'; k++) {
    const w = argv[k]!;
    if (w === '-0' || w === '--null') sep = '\0';
    else if (w === '-d' || w === '--delimiter') sep = decodeEscapes(argv[++k] ?? '');
    else if (w.startsWith('-d')) sep = decodeEscapes(w.slice(2));
    else if (w.startsWith('--delimiter=')) sep = decodeEscapes(w.slice(12));
    else if (w === '-I') replace = argv[++k];
    else if (w.startsWith('-I')) replace = w.slice(2);
    else if (w === '-i' || w === '--replace') replace = '{}';
    else if (w.startsWith('-i')) replace = w.slice(2);
    else if (w.startsWith('--replace=')) replace = w.slice(10);
  }
  const command = argv.slice(skipOptions(argv, 1, XARGS));
  if (!command.length) command.push('echo');
  const items = input.split(sep).filter((item) => item !== '');
  if (!items.length || items.length > MAX_ITEMS) return;
  if (replace === undefined || replace === '') out.push(command.concat(items));
  else for (const item of items) out.push(command.map((w) => w.split(replace).join(item)));
}
