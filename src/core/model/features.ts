// Shell-aware tokens of a command for the classifier. The held-out data uses
// other binaries than training, so most tokens describe the *shape* of the
// arguments (paths, URLs, code strings, operators) rather than the binary.
import type { PolicySet } from '../policy/index';
import { parseCommand, type CommandComponent, type ParsedCommand } from '../shell/index';
import { GTFOBINS } from './gtfobins';
import { formTokens, policyTokens } from './knowledge-tokens';

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'csh', 'tcsh', 'ash', 'busybox', 'mksh', 'yash', 'posh', 'rc', 'elvish', 'xonsh', 'nu', 'rbash']);
const INTERPRETERS = new Set(['python', 'python2', 'python3', 'perl', 'ruby', 'node', 'php', 'lua', 'tclsh', 'awk', 'gawk', 'osascript', 'pwsh', 'powershell']);
/** Wider families for `kind:` tokens, which carry over to binaries never seen in training. */
const KINDS: [string, RegExp][] = [
  ['shell', /^(ba|z|da|k|c|tc|mk|ya|po|r)?sh$|^(fish|busybox|rc|elvish|xonsh|nu|pwsh|powershell)$/],
  ['interpreter', /^(python|perl|ruby|node|nodejs|php|lua|luajit|tclsh|wish|expect|julia|octave|octave-cli|r|rscript|irb|jjs|jrunscript|guile|sbcl|clisp|racket|scala|groovy|deno|bun|ghci|gdb|osascript|awk|gawk|mawk|nawk|busybox)[\d.]*$/],
  ['editor', /^(vi|vim|nvim|view|rvim|rview|vimdiff|nano|pico|ed|ex|emacs|joe|mg|less|more|most|pg|man|ftp|sftp|mysql|psql|sqlite3)$/],
  ['downloader', /^(curl|wget|fetch|aria2c|lwp-download|lwp-request|tftp)$/],
  ['netcat', /^(nc|ncat|netcat|socat|telnet|openssl|cryptcat)$/],
  ['escalator', /^(sudo|doas|pkexec|su|runuser|setpriv|chroot|nsenter|unshare|capsh)$/],
  // Tools that write partitions, file systems or raw blocks.
  ['disk', /^(dd|dcfldd|ddrescue|mkfs(\..+)?|mke2fs|mkswap|wipefs|wipe|shred|srm|nwipe|blkdiscard|badblocks|[cs]?fdisk|[cs]?gdisk|parted|partprobe|hdparm|mdadm|cryptsetup|losetup|zpool|fsck(\..+)?|e2fsck|tune2fs|resize2fs|bmaptool|etcher)$/],
];
/** Environment variables that make a program load or run other code. */
const CODE_ENV = /(^LD_|PRELOAD|_OPTS$|OPTIONS$|^PERL5(OPT|DB|LIB)$|^RUBYOPT$|^PYTHON(STARTUP|PATH)$|^NODE_OPTIONS$|PAGER$|EDITOR$|VISUAL$|BROWSER$|_(COMMAND|CMD|PROGRAM|HOOK)$|^SHELL$|^BASH_ENV$|^ENV$|^PROMPT_COMMAND$)/;
const DOWNLOADERS = new Set(['curl', 'wget', 'fetch', 'aria2c', 'lwp-download']);
const NETCATS = new Set(['nc', 'ncat', 'netcat', 'socat', 'telnet']);
const ESCALATORS = new Set(['sudo', 'doas', 'pkexec', 'su', 'runuser']);
const SYSTEM_DIRS = /^\/(etc|bin|sbin|usr|lib|lib64|boot|dev|proc|sys|var|root|opt)(\/|$)/;
const MAX_TOKENS = 256;

/**
 * Unigrams from closed vocabularies defined in code (argument shapes, families,
 * the policy's verdicts, the learner's dangerous forms, the engineered flags).
 * They describe what a command does whatever binary runs it, and the vectorizer
 * always keeps them: chi² alone fills the vocabulary with variants of the
 * strongest unsafe signals and leaves ordinary commands without a column that
 * ranks them.
 */
export const SHAPE_TOKEN = /^(arg|kv|optval|redir_to|origin|url|kind|class|into|has|policy|form|size|code):[^ ]+$/;

/** Engineered yes/no features, appended to the selected n-grams as their own columns. */
export const FLAG_NAMES = [
  'download_piped_to_shell',
  'socket_or_reverse_shell',
  'base64_decode',
  'writes_outside_workspace',
  'privilege_escalation',
  'spawns_shell',
  'uploads_file',
] as const;
export type FlagName = (typeof FLAG_NAMES)[number];

function argShape(arg: string): string | null {
  if (arg === '') return 'empty';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg)) return 'url';
  if (/\/dev\/(tcp|udp)\//.test(arg)) return 'devtcp';
  if (/^\d{1,3}(\.\d{1,3}){3}(:\d+)?$/.test(arg)) return 'ip';
  if (/^\d+$/.test(arg)) return 'number';
  if (/^[\w.-]+:\d{2,5}$/.test(arg)) return 'host_port';
  // `user@host`, `host:path` (scp, rsync, ssh targets)
  if (/^[\w.-]+@[\w.-]+(:|$)|^[a-z][\w.-]*\.[a-z]+:[\w~./]/i.test(arg)) return 'remote';
  // `@file`: arguments or a request body read from a file
  if (/^@[\w~./-]/.test(arg)) return 'at_file';
  if (/^[a-z]+(_[a-z0-9]+)+$/.test(arg)) return 'identifier';
  if (/^[a-z]$/i.test(arg)) return 'letter';
  if (SHELLS.has(arg) || /^\/(usr\/)?bin\/(ba|z|da|k)?sh$/.test(arg)) return 'shell';
  if (arg.startsWith('~') || arg.startsWith('$HOME')) return 'home';
  if (arg.includes('$')) return 'variable';
  if (/^\/dev\/(sd|hd|vd|xvd|nvme|mmcblk|disk|mapper|loop)/.test(arg)) return 'block_device';
  if (SYSTEM_DIRS.test(arg)) return 'system_path';
  if (arg.startsWith('/tmp/') || arg === '/tmp') return 'tmp_path';
  if (arg.startsWith('/')) return 'abs_path';
  if (/(^|\/)\.[a-z]/i.test(arg)) return 'dotfile';
  if (arg.includes('/')) return 'rel_path';
  if (/^[\w-]+(\.[\w-]+)*\.[a-z][a-z0-9]{0,4}$/i.test(arg)) return 'file_name';
  return null;
}

/** What code inside an argument can do beyond computing, whatever the language. */
const CODE_EFFECTS: [string, RegExp][] = [
  ['runs', /\b(system|exec[a-z]*|spawn[a-z]*|popen|subprocess|call_?command|run_?command|pty|interact|passthru|shell_exec|proc_open|child_process|Runtime\.getRuntime|IO\.popen|os\.execute)\b|\/bin\/\w*sh\b|[`!]\s*\/?\w*sh\b/i],
  ['net', /\b(socket|connect|fsockopen|TCPSocket|TCPServer|urlopen|requests\.(get|post)|http\.(get|request)|net\.(connect|createConnection|Socket|Dial)|nc|curl|wget)\b|\/dev\/(tcp|udp)\//i],
  ['loads', /\b(dlopen|ctypes|cdll|load_?library|LoadLibrary|enable\s+-f|LD_PRELOAD|ffi)\b|\.so\b/i],
];

/** Words inside an argument that carries code (`'system("/bin/sh")'`, `"import os; …"`). */
function codePieces(arg: string, out: string[]): void {
  if (!/[\s();{}=|&<>'"`]/.test(arg)) return;
  out.push('code');
  let effects = 0;
  for (const [effect, re] of CODE_EFFECTS) {
    if (!re.test(arg)) continue;
    out.push(`code:${effect}`);
    effects++;
  }
  // Code that runs nothing, opens no socket and loads nothing: a script, not an escape.
  if (!effects) out.push('code:inert');
  const pieces = arg.toLowerCase().match(/[a-z_][a-z0-9_]{1,24}|\/dev\/tcp|\/bin\/\w+|[();|&<>]/g);
  if (pieces) for (const p of pieces.slice(0, 40)) out.push(`w:${p}`);
}

/** `piped`: the previous component's output flows into this one. */
function componentTokens(c: CommandComponent, out: string[], piped: boolean): void {
  out.push(`bin:${c.binary}`);
  const base = c.binary.toLowerCase();
  for (const [kind, re] of KINDS) {
    if (!re.test(base)) continue;
    out.push(`kind:${kind}`);
    // `bin:` tokens sit between `pipe` and `kind:`, and n-grams naming a binary are dropped, so say it directly.
    if (piped) out.push(`into:${kind}`);
  }
  if (GTFOBINS.has(c.binary)) out.push('kind:gtfobins');
  if (c.argv[0] && c.argv[0].includes('/') && !/^\/(usr\/)?(local\/)?s?bin\//.test(c.argv[0])) out.push('run:path');
  if (c.origin !== 'top') out.push(`origin:${c.origin}`);
  for (const w of c.wrappers) out.push(`wrap:${w}`);
  for (const key of Object.keys(c.env)) {
    out.push(`env:${key}`);
    if (CODE_ENV.test(key)) out.push('env:loads_code');
  }
  const first = c.argv[1];
  if (first && /^[a-z][\w-]{0,30}$/i.test(first)) out.push(`sub:${c.binary}.${first}`);
  for (const arg of c.argv.slice(1, 40)) {
    if (arg.startsWith('-') && arg.length > 1) {
      out.push(`flag:${arg.split('=')[0].slice(0, 24)}`);
      if (arg.includes('=')) {
        const value = arg.slice(arg.indexOf('=') + 1);
        const shape = argShape(value.replace(/^[\w-]+[=:]/, ''));
        if (shape) out.push(`optval:${shape}`);
        codePieces(value, out);
      }
      continue;
    }
    // `of=/dev/sda`, `file=x`: the shape of the value.
    const kv = /^[a-z][\w.-]{0,20}=(.+)$/i.exec(arg);
    const shape = argShape(kv ? kv[1] : arg);
    if (shape) out.push(`${kv ? 'kv' : 'arg'}:${shape}`);
    if (shape === 'url') out.push(`url:${arg.slice(0, arg.indexOf(':')).toLowerCase()}`);
    const ext = /\.([a-z0-9]{1,5})$/i.exec(arg);
    if (ext && !arg.includes(' ')) out.push(`ext:${ext[1].toLowerCase()}`);
    codePieces(arg, out);
  }
  for (const r of c.redirects) {
    out.push(`redir:${r.op}`);
    // `0<&2`, `<&3`, `>&3`: a descriptor wired to another one, as reverse shells do.
    if (/&$/.test(r.op) && /^\d+$/.test(r.target) && !(/^2?>&$/.test(r.op) && r.target === '1') && !(r.op === '1>&' && r.target === '2')) out.push('redir:fd_dup');
    const shape = argShape(r.target);
    if (shape) out.push(`redir_to:${shape}`);
  }
  if (c.pipeToNext) out.push('pipe');
}

export interface CommandFeatures {
  /** Shell-aware tokens, in command order. */
  tokens: string[];
  /** Lower-cased words of the command text (what a plain TF-IDF would see). */
  words: string[];
  flags: Record<FlagName, boolean>;
}

function computeFlags(parsed: ParsedCommand): Record<FlagName, boolean> {
  const comps = parsed.components;
  const text = parsed.clean;
  const bins = new Set(comps.map((c) => c.binary));
  const any = (set: Set<string>) => comps.some((c) => set.has(c.binary));
  const argvHas = (re: RegExp) => comps.some((c) => c.argv.slice(1).some((a) => re.test(a)));
  const runsShellOrInterpreter = comps.some((c, i) => i > 0 && (SHELLS.has(c.binary) || INTERPRETERS.has(c.binary)));
  return {
    download_piped_to_shell: any(DOWNLOADERS) && (runsShellOrInterpreter || comps.some((c) => c.origin === 'process-substitution' || c.origin === 'substitution')),
    socket_or_reverse_shell:
      /\/dev\/(tcp|udp)\//.test(text) ||
      (any(NETCATS) && argvHas(/^-(e|c)$|^exec:|^system:/)) ||
      (/socket/i.test(text) && /connect|dup2|spawn|exec/i.test(text)),
    base64_decode: (bins.has('base64') && argvHas(/^(-d|-D|--decode)$/)) || /b64decode|frombase64|atob\(|base64 -d/i.test(text),
    writes_outside_workspace: comps.some(
      (c) =>
        c.redirects.some((r) => r.op !== '<' && r.op !== '<<' && r.op !== '<<<' && /^(\/|~)/.test(r.target) && !/^\/(tmp|dev\/null)/.test(r.target)) ||
        ((c.binary === 'tee' || c.binary === 'cp' || c.binary === 'mv' || c.binary === 'install') && c.argv.slice(1).some((a) => SYSTEM_DIRS.test(a) || a.startsWith('~'))),
    ),
    privilege_escalation: any(ESCALATORS) || argvHas(/^([ugo]*\+s|[2467][0-7]{3})$/) || /setuid|setgid|chown\s+root/i.test(text),
    spawns_shell:
      comps.some((c, i) => (i > 0 || c.origin !== 'top') && SHELLS.has(c.binary)) ||
      argvHas(/^\/(usr\/)?bin\/(ba|z|da)?sh$|system\(|exec\(|spawn\(|pty\.|os\.system|subprocess|popen|!\/?\w*sh\b/i),
    uploads_file:
      (any(DOWNLOADERS) && argvHas(/^(-T|--upload-file|-F|--form|--post-file|--body-file|--data-binary|-d|--data)$|^@/)) ||
      (any(NETCATS) && comps.some((c) => c.redirects.some((r) => r.op === '<'))) ||
      ((bins.has('scp') || bins.has('rsync')) && argvHas(/^[\w.-]+@?[\w.-]*:/)),
  };
}

/** A file written (redirect, `tee`, `cp`) and then run or passed to a later program in the same command. */
function writesThenRuns(comps: readonly CommandComponent[]): boolean {
  const written = new Set<string>();
  const norm = (p: string) => p.replace(/^\.\//, '');
  for (const c of comps) {
    if (written.size && c.argv.some((a) => written.has(norm(a)))) return true;
    for (const r of c.redirects) if (/^>|^\d?>$|^>>$/.test(r.op) && !/^\/dev\//.test(r.target)) written.add(norm(r.target));
    if (c.binary === 'tee' || c.binary === 'cp' || c.binary === 'mv') for (const a of c.argv.slice(1)) if (!a.startsWith('-')) written.add(norm(a));
  }
  return false;
}

/**
 * How long the command is, in lines and characters. Attack snippets are short
 * one-liners; the scripts agents pass to `python -c` run to many lines. This
 * only shifts a score the human reviews: a long command is never allowed for it.
 */
function sizeTokens(text: string, out: string[]): void {
  const lines = text.split('\n').length;
  out.push(`size:lines_${lines === 1 ? '1' : lines <= 5 ? '2_5' : 'many'}`);
  const n = text.length;
  out.push(`size:chars_${n <= 20 ? 20 : n <= 60 ? 60 : n <= 200 ? 200 : 'more'}`);
}

/**
 * Tokens in command order plus the engineered flags; `policy` (the shipped
 * standard policy) contributes its verdict. Never throws.
 */
export function commandFeatures(command: string, policy: PolicySet): CommandFeatures {
  const parsed = parseCommand(command.length > 100_000 ? command.slice(0, 100_000) : command);
  const tokens: string[] = [];
  parsed.operators.forEach((op) => tokens.push(`op:${op === '\n' ? 'newline' : op}`));
  policyTokens(policy, command, tokens);
  sizeTokens(parsed.clean, tokens);
  parsed.components.forEach((c, i) => {
    if (tokens.length >= MAX_TOKENS) return;
    componentTokens(c, tokens, i > 0 && parsed.components[i - 1].pipeToNext);
    formTokens(c, tokens);
  });
  if (writesThenRuns(parsed.components)) tokens.push('has:writes_then_uses');
  const flags = computeFlags(parsed);
  for (const name of FLAG_NAMES) if (flags[name]) tokens.push(`has:${name}`);
  const words = (parsed.clean.slice(0, 4096).toLowerCase().match(/[a-z0-9_]{2,30}/g) ?? []).slice(0, MAX_TOKENS);
  return { tokens: tokens.slice(0, MAX_TOKENS), words, flags };
}
