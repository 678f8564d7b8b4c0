// Single-pass scanner for POSIX/bash command lines. It walks the string once
// with charCodeAt, removes quoting as it goes, and hands each simple command's
// words to emitCommand. Nested command text ($( … ), backticks, <( … ),
// `sh -c` strings) recurses with a depth counter; past MAX_DEPTH the text is
// skipped iteratively and kept as an opaque component, so hostile nesting
// cannot overflow the stack. The scanner never throws: problems go to errors.
import { MAX_COMPONENTS, MAX_DEPTH, appendAll, emitCommand, opaqueComponent, runInto, type Level } from './component';
import type { Emitter } from './emitter';
import { decodeEscapes } from './escapes';
import { SHELLS } from './options';
import { pipedScripts, pipedXargsCommands } from './piped';
import type { ComponentOrigin, Redirect } from './types';

const TAB = 9, NL = 10, SP = 32, DQ = 34, HASH = 35, DOLLAR = 36, AMP = 38, SQ = 39, LP = 40, RP = 41,
  MINUS = 45, SEMI = 59, LT = 60, GT = 62, BSL = 92, BT = 96, LB = 123, PIPE = 124, RB = 125, LSB = 91, RSB = 93;

interface PendingHeredoc {
  redirect: Redirect;
  strip: boolean;
  /** Quoted delimiter: the body is literal (no expansions). */
  quoted: boolean;
  /** The body is a script for a shell (`bash <<EOF`). */
  shell: boolean;
}

/** Per-list state: the simple command being collected and the clause context. */
class ListState {
  words: string[] = [];
  redirects: Redirect[] = [];
  /** Words that are not a command (for/select/case headers). */
  skip = false;
  /** The skipped words are a `for`/`select` header, which `do` may end on the same line (`for x do …; done`). */
  loopHeader = false;
  /** After `coproc`: a word followed by `{` or `(` names the coprocess (`coproc X { …; }`). */
  coprocName = false;
  /** Drop the next word (a function name after `function`). */
  dropNext = false;
  /** Waiting for `in` of `case WORD in`. */
  awaitIn = false;
  /** Inside `[[ … ]]`: < > ( ) && || are plain words. */
  dbl = false;
  /** Open `( … )` subshells of this list (flattened, not recursed into). */
  groups = 0;
  caseDepth = 0;
  casePattern = false;
  /** Index in level.main of the last emitted command (for pipe marking). */
  last = -1;
  heredocMark = 0;
  /** A group or compound command (`)`, `}`, `done`, `fi`, `esac`) just closed. */
  afterClose = false;
  /** Words of the command with unquoted glob or brace characters (pathname expansion would replace them). */
  globs?: Set<string>;
}

/** ASCII characters that end a word or need handling inside one (1), or are glob characters when unquoted (2); all others are copied as they are. */
const WORD_SPECIAL = new Uint8Array(128);
for (const ch of ' \t\n;&|()<>\\\'"$`') WORD_SPECIAL[ch.charCodeAt(0)] = 1;
for (const ch of '*?[{') WORD_SPECIAL[ch.charCodeAt(0)] = 2;

/** The characters that end plain text inside double quotes. */
const DQ_SPECIAL = /["\\$`]/g;

function isWordEnd(c: number): boolean {
  return c === SP || c === TAB || c === NL || c === SEMI || c === AMP || c === PIPE || c === LP || c === RP || c === LT || c === GT;
}

export class Scanner {
  private i = 0;
  private readonly n: number;
  private readonly heredocs: PendingHeredoc[] = [];
  /** The word readWord returned last had an unquoted `*`, `?`, `[` or `{`. */
  private wordGlob = false;
  /** A function whose body is being parsed in place: it can be called once the body ends. */
  private pendingFunction?: { name: string; body: string; end: number };

  constructor(
    private readonly s: string,
    private readonly em: Emitter,
    private depth: number,
  ) {
    this.n = s.length;
  }

  parseInto(level: Level, origin: ComponentOrigin): void {
    this.parseList(level, origin, false);
    this.exposePipedScripts(level);
  }

  /** Parses what `echo … | sh`-style pipelines of this level feed to a shell, and what `… | xargs` runs. */
  private exposePipedScripts(level: Level): void {
    if (level.main.length < 2) return;
    for (const script of pipedScripts(level.main)) this.subText(level, script, 'piped-script');
    for (const words of pipedXargsCommands(level.main)) runInto(level.extras, 'xargs', words, this.depth, this.em);
  }

  /** The words of the text, split and unquoted like a shell would, for `env -S`. */
  words(): string[] {
    const scratch: Level = { main: [], extras: [] };
    const out: string[] = [];
    while (this.i < this.n) {
      const c = this.s.charCodeAt(this.i);
      if (isWordEnd(c)) this.i++;
      else out.push(this.readWord(scratch));
    }
    return out;
  }

  /** Parses commands until end of text or, with `closeParen`, the `)` closing the list. Returns whether it was closed. */
  private parseList(level: Level, origin: ComponentOrigin, closeParen: boolean): boolean {
    const s = this.s;
    const n = this.n;
    const st = new ListState();
    st.heredocMark = this.heredocs.length;
    while (this.i < n) {
      if (this.em.full) {
        this.giveUp(level, origin);
        break;
      }
      const c = s.charCodeAt(this.i);
      const c1 = s.charCodeAt(this.i + 1);
      if (c === SP || c === TAB || (c === BSL && c1 === NL)) {
        this.i += c === BSL ? 2 : 1;
        continue;
      }
      if (c === DOLLAR) {
        const ifs = ifsLength(s, this.i);
        if (ifs) {
          this.i += ifs;
          continue;
        }
      }
      if (st.dbl && (c === LT || c === GT || c === LP || c === RP || ((c === AMP || c === PIPE) && c1 === c))) {
        const len = c1 === c || c1 === 61 /* = */ ? 2 : 1;
        st.words.push(s.slice(this.i, this.i + len));
        this.i += len;
        continue;
      }
      switch (c) {
        case NL:
          this.finish(st, level, origin);
          this.op('\n');
          this.i++;
          if (this.heredocs.length) this.readHeredocs(level);
          continue;
        case SEMI:
          this.finish(st, level, origin);
          if (c1 === SEMI || c1 === AMP) {
            // `;;`, `;&`, `;;&` end a case branch.
            this.i += c1 === SEMI && s.charCodeAt(this.i + 2) === AMP ? 3 : 2;
            this.op(';;');
            st.casePattern = st.caseDepth > 0;
          } else {
            this.i++;
            this.op(';');
          }
          continue;
        case AMP:
          if (c1 === GT) break; // &> and &>> are redirections
          this.finish(st, level, origin);
          if (c1 === AMP) {
            this.i += 2;
            this.op('&&');
          } else {
            this.i++;
            this.op('&');
          }
          continue;
        case PIPE:
          this.finish(st, level, origin);
          if (c1 === PIPE) {
            this.i += 2;
            this.op('||');
          } else {
            if (st.last >= 0) level.main[st.last]!.pipeToNext = true;
            this.i += c1 === AMP ? 2 : 1;
            this.op('|');
          }
          continue;
        case LP:
          this.openParen(st, c1, level);
          continue;
        case RP:
          this.finish(st, level, origin);
          this.i++;
          st.afterClose = true;
          if (st.groups > 0) st.groups--;
          else if (closeParen) return true;
          else this.em.error(`unexpected ')' at offset ${this.i - 1}`);
          continue;
        case HASH: {
          // A comment runs to the end of the line.
          const e = s.indexOf('\n', this.i);
          this.i = e < 0 ? n : e;
          continue;
        }
      }
      if ((c === LT || c === GT || c === AMP) && c1 !== LP) {
        this.readRedirect(st, level, '');
        continue;
      }
      if (st.words.length === 0 && st.casePattern && !st.skip) {
        this.readCasePattern(st, level);
        continue;
      }
      const start = this.i;
      const w = this.readWord(level);
      if (this.i === start) {
        // Defensive: never loop on a character no branch consumed.
        this.em.error(`unexpected '${s[start]}' at offset ${start}`);
        this.i++;
        continue;
      }
      const next = s.charCodeAt(this.i);
      if ((next === LT || next === GT) && isDigits(s, start, this.i)) {
        this.readRedirect(st, level, w);
        continue;
      }
      if (this.clauseWord(st, w, this.i - start === w.length)) continue;
      if (st.dbl && w === ']]') st.dbl = false;
      if (this.wordGlob) (st.globs ??= new Set()).add(w);
      st.words.push(w);
    }
    this.finish(st, level, origin);
    if (st.groups > 0) this.em.error('unterminated ( subshell');
    if (!closeParen && this.heredocs.length) {
      this.em.error(`here-document without body (wanted '${this.heredocs[0]!.redirect.target}')`);
      this.heredocs.length = 0;
    }
    return false;
  }

  /** Handles reserved words and clause headers; true when `w` is not a command word. */
  private clauseWord(st: ListState, w: string, plain: boolean): boolean {
    if (st.coprocName) {
      st.coprocName = false;
      const next = this.s.charCodeAt(skipBlanks(this.s, this.i));
      if (plain && st.words.length === 0 && (next === LB || next === LP)) return true;
    }
    if (st.dropNext) {
      st.dropNext = false;
      this.defineFunction(w);
      return true;
    }
    if (st.awaitIn) {
      if (w === 'in') {
        st.awaitIn = false;
        st.skip = false;
        st.words.length = 0;
        st.casePattern = true;
      }
      return true;
    }
    // `for NAME do` loops over the arguments: `do` ends the header without a `;` or newline.
    if (st.skip && st.loopHeader && w === 'do' && plain && st.words.length === 1) {
      st.skip = false;
      st.loopHeader = false;
      st.words.length = 0;
      return true;
    }
    // A reserved word counts only first in a command: after a redirection it is a command's name (`>/dev/null case x`).
    if (st.skip || st.words.length > 0 || st.redirects.length > 0 || !plain || st.dbl) return false;
    switch (w) {
      case 'if': case 'then': case 'else': case 'elif': case 'do':
      case 'while': case 'until': case '!': case '{':
        return true;
      case 'fi': case 'done': case '}':
        st.afterClose = true;
        return true;
      case 'esac':
        if (st.caseDepth > 0) st.caseDepth--;
        st.casePattern = false;
        st.afterClose = true;
        return true;
      case 'for': case 'select':
        st.skip = true;
        st.loopHeader = true;
        return true;
      case 'case':
        st.skip = true;
        st.awaitIn = true;
        st.caseDepth++;
        return true;
      case 'function':
        st.dropNext = true;
        return true;
      case 'coproc':
        st.coprocName = true;
        return true;
      case '[[':
        st.dbl = true;
        return false;
    }
    return false;
  }

  /** `(` : a subshell, `((` arithmetic, `name()` a function definition, or a stray paren. */
  private openParen(st: ListState, c1: number, level: Level): void {
    if (c1 === LP && (st.words.length === 0 || st.skip) && arithmeticAt(this.s, this.i + 2)) {
      // The expression is no command, but the substitutions in it run (`(( $(cmd) ))`, `for (( i=$(cmd); ; ))`).
      const expression: Level = { main: [], extras: [] };
      this.i += 2;
      this.scanGroup(expression, LP, RP, 2);
      level.extras.push(...expression.main, ...expression.extras);
      return;
    }
    if (st.words.length === 0 && st.redirects.length === 0 && !st.skip) {
      st.groups++;
      this.i++;
      return;
    }
    let j = this.i + 1;
    while (this.s.charCodeAt(j) === SP || this.s.charCodeAt(j) === TAB) j++;
    if (st.words.length === 1 && this.s.charCodeAt(j) === RP) {
      const name = st.words[0]!;
      st.words.length = 0; // function definition: its body follows as a group
      this.i = j + 1;
      this.defineFunction(name);
      return;
    }
    this.em.error(`unexpected '(' at offset ${this.i}`);
    this.i++;
  }

  /**
   * Remembers the body of function `name`, which starts at this.i (after
   * `name()` or `function name`), so that a later call can be expanded. The
   * body is still parsed in place, as a group.
   */
  private defineFunction(name: string): void {
    const s = this.s;
    let j = skipBlanks(s, this.i);
    if (s.charCodeAt(j) === LP) {
      const close = skipBlanks(s, j + 1);
      if (s.charCodeAt(close) === RP) j = skipBlanks(s, close + 1);
    }
    const open = s.charCodeAt(j);
    if (open !== LB && open !== LP) return;
    const end = this.skipBalanced(open, open === LB ? RB : RP, 1, j + 1);
    this.pendingFunction = { name, body: s.slice(j + 1, end - 1), end };
  }

  private finish(st: ListState, level: Level, origin: ComponentOrigin): void {
    const fn = this.pendingFunction;
    if (fn && this.i >= fn.end) {
      (this.em.ctx.functions ??= new Map()).set(fn.name, fn.body);
      this.pendingFunction = undefined;
    }
    if (st.afterClose && st.words.length === 0) {
      // `done > f`, `} | x`, `) 2>&1`: the redirections and pipe belong to the group just closed;
      // they go to its last command, which stays the pipe producer.
      const closed = level.main[level.main.length - 1];
      if (closed && st.redirects.length) closed.redirects = closed.redirects.concat(st.redirects);
      st.redirects = [];
      st.afterClose = false;
      st.last = closed ? level.main.length - 1 : -1;
    } else st.last = -1;
    st.afterClose = false;
    if (!st.skip && (st.words.length || st.redirects.length)) {
      st.last = emitCommand(st.words, st.redirects, origin, level.main, level.extras, this.depth, this.em, st.globs);
      if (this.em.ctx.count >= MAX_COMPONENTS) this.em.full = true;
      const comp = st.last >= 0 ? level.main[st.last] : undefined;
      if (comp && (SHELLS.has(comp.binary) || readsStdinScript(comp.argv))) {
        // A shell reads its own heredoc as its script (`cat <<EOF | sh` is handled in piped.ts), and so does
        // `. /dev/stdin` (`source /proc/self/fd/0`).
        for (let h = st.heredocMark; h < this.heredocs.length; h++) this.heredocs[h]!.shell = true;
      }
    }
    if (st.words.length || st.redirects.length) {
      st.words = [];
      st.redirects = [];
    }
    st.globs = undefined;
    if (!st.awaitIn) st.skip = false;
    st.loopHeader = false;
    st.dbl = false;
    st.heredocMark = this.heredocs.length;
  }

  private op(o: string): void {
    this.em.ctx.operators.push(o);
  }

  private giveUp(level: Level, origin: ComponentOrigin): void {
    const rest = this.s.slice(this.i).trim();
    if (rest) level.main.push(opaqueComponent(rest, origin));
    this.em.tooMany();
    this.i = this.n;
  }

  /** A redirection at this.i; `fd` is the digits word before it, if any. */
  private readRedirect(st: ListState, level: Level, fd: string): void {
    const s = this.s;
    const c = s.charCodeAt(this.i);
    const c1 = s.charCodeAt(this.i + 1);
    const c2 = s.charCodeAt(this.i + 2);
    let op: string;
    if (c === AMP) op = c2 === GT ? '&>>' : '&>';
    else if (c === LT) {
      if (c1 === LT) op = c2 === LT ? '<<<' : c2 === MINUS ? '<<-' : '<<';
      else op = c1 === AMP ? '<&' : c1 === GT ? '<>' : '<';
    } else op = c1 === GT ? '>>' : c1 === PIPE ? '>|' : c1 === AMP ? '>&' : '>';
    this.i += op.length;
    while (s.charCodeAt(this.i) === SP || s.charCodeAt(this.i) === TAB) this.i++;
    const redirect: Redirect = { op: fd + op, target: '' };
    st.redirects.push(redirect);
    const t = s.charCodeAt(this.i);
    // A process substitution is a target like a word (`bash < <(curl x)`).
    const procSub = (t === LT || t === GT) && s.charCodeAt(this.i + 1) === LP;
    if (this.i >= this.n || (isWordEnd(t) && !procSub)) {
      this.em.error(`missing target after '${op}' at offset ${this.i}`);
      return;
    }
    const start = this.i;
    redirect.target = this.readWord(level);
    if (this.wordGlob && !op.startsWith('<<')) redirect.glob = true;
    if (op === '<<' || op === '<<-') {
      // Quoted when any part of the word is (a backslash-newline only joins lines: `<<EO\<NL>F` is EOF, unquoted).
      const quoted = s.slice(start, this.i).replace(/\\\n/g, '') !== redirect.target;
      this.heredocs.push({ redirect, strip: op === '<<-', quoted, shell: false });
    } else if (op === '<<<') {
      this.subText(level, redirect.target, 'here-string');
    }
  }

  /** Reads the bodies of pending heredocs; this.i is at the start of the line after their command. */
  private readHeredocs(level: Level): void {
    const s = this.s;
    const pending = this.heredocs.splice(0);
    for (const h of pending) {
      const delim = h.redirect.target;
      const start = this.i;
      let found = false;
      while (this.i < this.n) {
        let e = s.indexOf('\n', this.i);
        if (e < 0) e = this.n;
        let ls = this.i;
        if (h.strip) while (s.charCodeAt(ls) === TAB) ls++;
        let line = s.slice(ls, e);
        // The lines of an unquoted heredoc go on after a backslash-newline, the closing one too (`E\<NL>OF` closes it).
        while (!h.quoted && e < this.n && /(^|[^\\])(\\\\)*\\$/.test(line)) {
          let next = s.indexOf('\n', e + 1);
          if (next < 0) next = this.n;
          line = line.slice(0, -1) + s.slice(e + 1, next);
          e = next;
        }
        if (line === delim) {
          h.redirect.body = s.slice(start, this.i);
          this.i = Math.min(e + 1, this.n);
          found = true;
          break;
        }
        this.i = e + 1;
      }
      if (!found) {
        h.redirect.body = s.slice(start);
        this.i = this.n;
        this.em.error(`here-document delimited by end of input (wanted '${delim}')`);
      }
      if (h.shell) this.subText(level, h.redirect.body!, 'here-doc');
      else if (!h.quoted) this.expansionsOf(level, h.redirect.body!);
    }
  }

  /** Parses `text` as commands of `origin`, added to level.extras. */
  private subText(level: Level, text: string, origin: ComponentOrigin): void {
    if (this.depth >= MAX_DEPTH) return this.em.tooDeep();
    const inner = this.em.parseText(text, origin, this.depth + 1);
    appendAll(level.extras, inner.main);
    appendAll(level.extras, inner.extras);
  }

  /** Command substitutions inside an unquoted heredoc body (they run when the heredoc is read). */
  private expansionsOf(level: Level, body: string): void {
    if (body.indexOf('$') < 0 && body.indexOf('`') < 0) return;
    if (this.depth >= MAX_DEPTH) return this.em.tooDeep();
    const sc = new Scanner(body, this.em, this.depth + 1);
    while (sc.i < sc.n) {
      const c = body.charCodeAt(sc.i);
      if (c === BSL) sc.i += 2;
      else if (c === DOLLAR) sc.dollar(level);
      else if (c === BT) sc.backtick(level);
      else sc.i++;
    }
  }

  /** A case pattern (`a|b)` or `(a)`), or `esac`. The substitutions in a pattern run when it is tried. */
  private readCasePattern(st: ListState, level: Level): void {
    const s = this.s;
    st.casePattern = false;
    if (s.startsWith('esac', this.i) && (this.i + 4 >= this.n || isWordEnd(s.charCodeAt(this.i + 4)))) {
      this.i += 4;
      if (st.caseDepth > 0) st.caseDepth--;
      return;
    }
    if (s.charCodeAt(this.i) === LP) this.i++;
    while (this.i < this.n) {
      const c = s.charCodeAt(this.i);
      if (c === RP) {
        this.i++;
        return;
      }
      if (c === NL) return;
      if (c === BSL) this.i += 2;
      else if (c === SQ) {
        const e = s.indexOf("'", this.i + 1);
        this.i = e < 0 ? this.n : e + 1;
      } else if (c === DQ) {
        this.i++;
        this.readDouble(level);
      } else if (c === DOLLAR) this.dollar(level);
      else if (c === BT) this.backtick(level);
      else this.i++;
    }
  }

  /**
   * One word at this.i with quotes and escapes removed. Substitutions stay in
   * the word as their source text (so patterns can see them) and are also
   * parsed into level.extras.
   */
  private readWord(level: Level): string {
    const s = this.s;
    const n = this.n;
    let val = '';
    let seg = this.i;
    // Local, as substitutions inside the word read words of their own.
    let glob = false;
    while (this.i < n) {
      const c = s.charCodeAt(this.i);
      if (c >= 128 || WORD_SPECIAL[c] === 0) {
        this.i++;
        continue;
      }
      if (WORD_SPECIAL[c] === 2) {
        glob = true;
        this.i++;
        continue;
      }
      if (c === SP || c === TAB || c === NL || c === SEMI || c === AMP || c === PIPE || c === LP || c === RP) break;
      // An unquoted $IFS splits words like a space (`rm${IFS}-rf${IFS}/`).
      if (c === DOLLAR && ifsLength(s, this.i)) break;
      if (c === LT || c === GT) {
        if (s.charCodeAt(this.i + 1) !== LP) break;
        this.i += 2;
        this.nested(level, 'process-substitution', '<( … )');
        continue;
      }
      switch (c) {
        case BSL:
          val += s.slice(seg, this.i);
          // Backslash-newline is a line continuation; otherwise the next character is literal.
          if (this.i + 1 < n && s.charCodeAt(this.i + 1) !== NL) val += s[this.i + 1];
          this.i += 2;
          seg = this.i;
          continue;
        case SQ: {
          val += s.slice(seg, this.i);
          const e = s.indexOf("'", this.i + 1);
          if (e < 0) {
            this.em.error(`unterminated single quote at offset ${this.i}`);
            val += s.slice(this.i + 1);
            this.i = n;
          } else {
            val += s.slice(this.i + 1, e);
            this.i = e + 1;
          }
          seg = this.i;
          continue;
        }
        case DQ:
          val += s.slice(seg, this.i);
          this.i++;
          val += this.readDouble(level);
          seg = this.i;
          continue;
        case DOLLAR: {
          const c1 = s.charCodeAt(this.i + 1);
          if (c1 === SQ) {
            val += s.slice(seg, this.i);
            val += this.readAnsiC();
            seg = this.i;
          } else if (c1 === DQ) {
            val += s.slice(seg, this.i);
            this.i += 2;
            val += this.readDouble(level);
            seg = this.i;
          } else this.dollar(level);
          continue;
        }
        case BT:
          this.backtick(level);
          continue;
        default:
          this.i++;
      }
    }
    this.wordGlob = glob;
    return val + s.slice(seg, this.i);
  }

  /** Body of a double-quoted string (this.i after the opening quote); leaves this.i after the closing one. */
  private readDouble(level: Level): string {
    const s = this.s;
    const open = this.i - 1;
    let val = '';
    let seg = this.i;
    while (this.i < this.n) {
      // Jump over plain text: a quoted argument (a commit message, a script) can be kilobytes long.
      DQ_SPECIAL.lastIndex = this.i;
      if (!DQ_SPECIAL.test(s)) break;
      this.i = DQ_SPECIAL.lastIndex - 1;
      const c = s.charCodeAt(this.i);
      if (c === DQ) {
        val += s.slice(seg, this.i);
        this.i++;
        return val;
      }
      if (c === BSL) {
        const c1 = s.charCodeAt(this.i + 1);
        if (c1 === DOLLAR || c1 === BT || c1 === DQ || c1 === BSL || c1 === NL) {
          val += s.slice(seg, this.i);
          if (c1 !== NL) val += s[this.i + 1];
          this.i += 2;
          seg = this.i;
        } else this.i += 2;
      } else if (c === DOLLAR) this.dollar(level);
      else this.backtick(level);
    }
    this.em.error(`unterminated double quote at offset ${open}`);
    this.i = this.n;
    return val + s.slice(seg);
  }

  /** `$'…'` with ANSI-C escapes decoded; this.i at the `$`. */
  private readAnsiC(): string {
    const s = this.s;
    const start = this.i + 2;
    let i = start;
    while (i < this.n && s.charCodeAt(i) !== SQ) i += s.charCodeAt(i) === BSL ? 2 : 1;
    if (i >= this.n) {
      this.em.error(`unterminated $'…' quote at offset ${this.i}`);
      this.i = this.n;
      return decodeEscapes(s.slice(start));
    }
    this.i = i + 1;
    return decodeEscapes(s.slice(start, i));
  }

  /** `$`-expansions at this.i: `$( … )` is parsed; `$(( … ))` and `${ … }` are scanned for substitutions inside. */
  private dollar(level: Level): void {
    const c1 = this.s.charCodeAt(this.i + 1);
    if (c1 === LP) {
      if (this.s.charCodeAt(this.i + 2) === LP && arithmeticAt(this.s, this.i + 3)) {
        this.i += 3;
        this.scanGroup(level, LP, RP, 2);
      } else {
        this.i += 2;
        this.nested(level, 'substitution', '$( … )');
      }
    } else if (c1 === LB) {
      this.i += 2;
      this.scanGroup(level, LB, RB, 1);
    } else if (c1 === LSB) {
      // `$[ … ]`, the old spelling of arithmetic
      this.i += 2;
      this.scanGroup(level, LSB, RSB, 1);
    } else this.i++;
  }

  /** Backtick substitution at this.i; its body (with \` \\ \$ unescaped) is parsed. */
  private backtick(level: Level): void {
    const s = this.s;
    let j = this.i + 1;
    let body = '';
    let seg = j;
    while (j < this.n) {
      const c = s.charCodeAt(j);
      if (c === BSL) {
        const c1 = s.charCodeAt(j + 1);
        if (c1 === BT || c1 === BSL || c1 === DOLLAR) {
          body += s.slice(seg, j);
          seg = j + 1;
        }
        j += 2;
        continue;
      }
      if (c === BT) break;
      j++;
    }
    const closed = j < this.n;
    body += s.slice(seg, Math.min(j, this.n));
    if (!closed) this.em.error(`unterminated backtick at offset ${this.i}`);
    this.i = closed ? j + 1 : this.n;
    this.subText(level, body, 'substitution');
  }

  /** A nested command list ending at `)` (this.i just after the opener). */
  private nested(level: Level, origin: ComponentOrigin, what: string): void {
    if (this.depth >= MAX_DEPTH) {
      const start = this.i;
      this.i = this.skipBalanced(LP, RP, 1);
      level.extras.push(opaqueComponent(this.s.slice(start, Math.max(start, this.i - 1)), origin));
      this.em.tooDeep();
      return;
    }
    const open = this.i - 2;
    this.depth++;
    const inner: Level = { main: [], extras: [] };
    const closed = this.parseList(inner, origin, true);
    this.exposePipedScripts(inner);
    this.depth--;
    if (!closed) this.em.error(`unterminated ${what} at offset ${open}`);
    appendAll(level.extras, inner.main);
    appendAll(level.extras, inner.extras);
  }

  /** Scans to the matching `close` (nesting starts at `open`), parsing substitutions met inside. */
  private scanGroup(level: Level, open: number, close: number, nesting: number): void {
    if (this.depth >= MAX_DEPTH) {
      this.i = this.skipBalanced(open, close, nesting);
      this.em.tooDeep();
      return;
    }
    const dollarAt = this.i - nesting - 1;
    this.depth++;
    let d = nesting;
    while (this.i < this.n && d > 0) {
      const c = this.s.charCodeAt(this.i);
      // (No single quotes: they quote nothing in an arithmetic expression, nor in `${x:-'…'}` inside double
      // quotes, where the shell runs the `$( … )` between them.)
      if (c === BSL) this.i += 2;
      else if (c === DQ) {
        this.i++;
        this.readDouble(level);
      } else if (c === DOLLAR) this.dollar(level);
      else if (c === BT) this.backtick(level);
      else {
        if (c === open) d++;
        else if (c === close) d--;
        this.i++;
      }
    }
    this.depth--;
    if (d > 0) this.em.error(`unterminated ${open === LB ? '${ … }' : open === LSB ? '$[ … ]' : '$(( … ))'} at offset ${dollarAt}`);
  }

  /** Index just past the `close` that balances `nesting` open brackets, without parsing (used past the depth cap). */
  private skipBalanced(open: number, close: number, nesting: number, from = this.i): number {
    const s = this.s;
    let d = nesting;
    let i = from;
    while (i < this.n) {
      const c = s.charCodeAt(i);
      if (c === BSL) i += 2;
      else if (c === SQ) {
        const e = s.indexOf("'", i + 1);
        i = e < 0 ? this.n : e + 1;
      } else if (c === DQ) {
        i++;
        while (i < this.n && s.charCodeAt(i) !== DQ) i += s.charCodeAt(i) === BSL ? 2 : 1;
        i++;
      } else {
        if (c === open) d++;
        else if (c === close && --d === 0) return i + 1;
        i++;
      }
    }
    return this.n;
  }
}

function isIdentChar(c: number): boolean {
  return c === 95 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Length of an unquoted `$IFS` / `${IFS}` (plus a trailing empty `$1`–`$9`) at i, else 0. */
function ifsLength(s: string, i: number): number {
  let len = 0;
  if (s.startsWith('$IFS', i) && !isIdentChar(s.charCodeAt(i + 4))) len = 4;
  else if (s.startsWith('${IFS}', i)) len = 6;
  else return 0;
  const d = s.charCodeAt(i + len + 1);
  if (s.charCodeAt(i + len) === DOLLAR && d >= 49 && d <= 57) len += 2;
  return len;
}

/** Index of the first character at or after i that is not a blank or a newline. */
function skipBlanks(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== SP && c !== TAB && c !== NL) break;
    i++;
  }
  return i;
}

function isDigits(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let j = from; j < to; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Whether `((` or `$((` whose text goes on at `from` opens an arithmetic expression: its inner `(` closes
 * right before the outer `)` (`$((1+2))`). Otherwise the shell reads a subshell inside (`$((rm x);(y))` is
 * a command substitution, `((rm x);(y))` nested subshells).
 */
function arithmeticAt(s: string, from: number): boolean {
  let depth = 2;
  for (let j = from; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === BSL) j++;
    else if (c === LP) depth++;
    else if (c === RP && --depth === 1) return s.charCodeAt(j + 1) === RP;
  }
  return true;
}

const STDIN_FILES = new Set(['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0', '-']);

/** `. /dev/stdin` or `source /proc/self/fd/0`: the shell runs what it reads on its input as commands. */
function readsStdinScript(argv: readonly string[]): boolean {
  return (argv[0] === '.' || argv[0] === 'source') && STDIN_FILES.has(argv[1] ?? '');
}
