// Scripts fed to a shell through a pipe: `echo 'rm -rf /' | sh`,
// `printf '\x72\x6d -rf /' | bash`, `echo cm0gLXJmIC8= | base64 -d | sh`,
// `base64 -d <<< cm0gLXJmIC8= | sh`. The text the shell would read is
// rebuilt from echo/printf/here-strings and a few decoders, so the commands
// hidden in it become components like any other.
import { decodeEscapes } from './escapes';
import { SHELLS } from './options';
import type { CommandComponent } from './types';

/** Decoded scripts larger than this are not parsed. */
const MAX_SCRIPT = 1 << 20;

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

/** Text a pipeline's first command writes, or undefined when it cannot be known. */
function producedText(c: CommandComponent): string | undefined {
  if (c.binary === 'echo') return echoOutput(c.argv);
  if (c.binary === 'printf' && c.argv.length > 1) return printfOutput(c.argv);
  const here = c.redirects.find((r) => r.op === '<<<' || r.op === '<<' || r.op === '<<-');
  if (here) return decode(c, here.op === '<<<' ? `${here.target}\n` : (here.body ?? ''));
  return undefined;
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

/** The scripts that pipelines in `main` feed to a shell's stdin. */
export function pipedScripts(main: readonly CommandComponent[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < main.length; i++) {
    if (!main[i]!.pipeToNext || (i > 0 && main[i - 1]!.pipeToNext)) continue;
    let j = i;
    while (j < main.length - 1 && main[j]!.pipeToNext) j++;
    const shell = main[j]!;
    if (j === i || !SHELLS.has(shell.binary) || !readsStdin(shell.argv)) continue;
    let text = producedText(main[i]!);
    for (let k = i + 1; k < j && text !== undefined; k++) text = decode(main[k]!, text);
    if (text !== undefined && text.trim() && text.length <= MAX_SCRIPT) out.push(text);
  }
  return out;
}
