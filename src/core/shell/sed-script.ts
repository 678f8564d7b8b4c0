// GNU sed's scripts can run commands and touch files the command line does
// not show as such: `e CMD` runs CMD with /bin/sh, a bare `e` and the `s///e`
// flag run the pattern space (text read from the input) as a command,
// `w FILE`/`W FILE` and the `s///w FILE` flag write FILE, `r FILE`/`R FILE`
// read it. The parser reads a sed command line's scripts for these, so policy
// rules see `sed -n '1e rm -rf ~' f` as running `rm -rf ~`.

export interface SedEffects {
  /** Commands given to `e CMD`. */
  commands: string[];
  /** A bare `e` or an `s///e` flag: the input's text is run as a command. */
  runsInput: boolean;
  writes: string[];
  reads: string[];
}

/** Short options that take a value (`-e`, `-f`, `-l`); `-i` and `-E`… take none as a separate word. */
const SHORT_ARG = 'efl';
const LONG_ARG = ['expression', 'file', 'line-length'];

/**
 * The scripts of a sed command line (argv[0] is sed), or null under
 * `--sandbox`, where sed refuses `e`, `r` and `w`. Scripts in `-f FILE` are
 * not read: the file system is not consulted.
 */
export function sedScripts(argv: readonly string[]): string[] | null {
  const given: string[] = [];
  const operands: string[] = [];
  let fromFile = false;
  for (let k = 1; k < argv.length; k++) {
    const w = argv[k]!;
    if (w === '--') {
      operands.push(...argv.slice(k + 1));
      break;
    }
    if (w === '--sandbox') return null;
    if (w.startsWith('--')) {
      const [name, value] = w.slice(2).split(/=(.*)/s);
      const arg = value ?? (LONG_ARG.includes(name!) ? argv[++k] : undefined);
      if (name === 'expression' && arg !== undefined) given.push(arg);
      if (name === 'file') fromFile = true;
      continue;
    }
    if (w.length < 2 || w[0] !== '-') {
      operands.push(w);
      continue;
    }
    // A cluster of short options: `-ne SCRIPT`; `-i` takes the rest of the word as its suffix (`-ie` is suffix "e").
    for (let j = 1; j < w.length; j++) {
      const o = w[j]!;
      if (o === 'i') break;
      if (!SHORT_ARG.includes(o)) continue;
      const arg = j + 1 < w.length ? w.slice(j + 1) : argv[++k];
      if (o === 'e' && arg !== undefined) given.push(arg);
      if (o === 'f') fromFile = true;
      break;
    }
  }
  // Without -e or -f, the first operand is the script (GNU sed takes options after operands too).
  if (!given.length && !fromFile && operands.length) given.push(operands[0]!);
  return given;
}

/** What a sed script runs, writes and reads. Parsing stops at the first command GNU sed would reject. */
export function sedEffects(script: string): SedEffects {
  const out: SedEffects = { commands: [], runsInput: false, writes: [], reads: [] };
  const s = script;
  let i = 0;
  const restOfLine = (): string => {
    const end = s.indexOf('\n', i);
    const text = s.slice(i, end < 0 ? s.length : end);
    i = end < 0 ? s.length : end + 1;
    return text;
  };
  const skipBlanks = (): void => {
    while (s[i] === ' ' || s[i] === '\t') i++;
  };
  /** A delimited part of `s` or `y` (the delimiter already read); false when it does not close. */
  const delimited = (d: string): boolean => {
    for (; i < s.length; i++) {
      if (s[i] === '\\') i++;
      else if (s[i] === d) {
        i++;
        return true;
      }
    }
    return false;
  };
  while (i < s.length) {
    while (/[\s;}{]/.test(s[i] ?? '')) i++;
    if (i >= s.length) break;
    if (s[i] === '#') {
      restOfLine();
      continue;
    }
    if (!skipAddresses()) break;
    const cmd = s[i++];
    switch (cmd) {
      case '{': case '}': case '=': case 'd': case 'D': case 'g': case 'G': case 'h': case 'H': case 'n': case 'N':
      case 'p': case 'P': case 'x': case 'z': case 'F':
        break;
      case 'q': case 'Q': case 'l': case 'L':
        skipBlanks();
        while (/\d/.test(s[i] ?? '')) i++;
        break;
      case 'a': case 'i': case 'c':
        skipText();
        break;
      case ':': case 'b': case 't': case 'T': case 'v':
        while (i < s.length && !/[;\n}]/.test(s[i]!)) i++;
        break;
      case 'r': case 'R': case 'w': case 'W': {
        skipBlanks();
        const file = restOfLine();
        if (file) (cmd === 'r' || cmd === 'R' ? out.reads : out.writes).push(file);
        break;
      }
      case 'e': {
        skipBlanks();
        const command = restOfLine().trim();
        if (command) out.commands.push(command);
        else out.runsInput = true;
        break;
      }
      case 's': {
        const d = s[i++];
        if (d === undefined || d === '\n' || d === '\\' || !delimited(d) || !delimited(d)) return out;
        // Flags; any other character makes sed reject the script (an unescaped delimiter in the text), so it runs nothing.
        let runs = false;
        for (; i < s.length && !/[;\n}#]/.test(s[i]!); i++) {
          if (s[i] === 'e') runs = true;
          else if (s[i] === 'w') {
            i++;
            skipBlanks();
            const file = restOfLine();
            if (file) out.writes.push(file);
            break;
          } else if (!/[gpiImM\d \t]/.test(s[i]!)) return out;
        }
        out.runsInput ||= runs;
        break;
      }
      case 'y': {
        const d = s[i++];
        if (d === undefined || d === '\n' || d === '\\' || !delimited(d) || !delimited(d)) return out;
        break;
      }
      default:
        return out;
    }
  }
  return out;

  /** Skips `a`/`i`/`c` text: to the end of the line, past lines ended by a backslash. */
  function skipText(): void {
    for (; i < s.length; i++) {
      if (s[i] === '\\') i++;
      else if (s[i] === '\n') {
        i++;
        return;
      }
    }
  }

  /** Skips an address or range (`1`, `$`, `/re/I`, `\%re%`, `first~step`, `a,+N`) and `!`; false when one does not close. */
  function skipAddresses(): boolean {
    for (let n = 0; n < 2; n++) {
      if (/[\d$]/.test(s[i] ?? '')) {
        while (/[\d$~]/.test(s[i] ?? '')) i++;
      } else if (s[i] === '/' || s[i] === '\\') {
        const d = s[i] === '\\' ? s[++i] : '/';
        i++;
        if (d === undefined || !delimited(d)) return false;
        while (/[IM]/.test(s[i] ?? '')) i++;
      } else if (n === 1 && /[+~]/.test(s[i] ?? '')) {
        i++;
        while (/\d/.test(s[i] ?? '')) i++;
      } else if (n === 1) {
        return false;
      }
      skipBlanks();
      if (n === 0 && s[i] === ',') {
        i++;
        skipBlanks();
        continue;
      }
      break;
    }
    while (s[i] === '!' || s[i] === ' ' || s[i] === '\t') i++;
    return true;
  }
}
