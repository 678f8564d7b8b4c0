// Shell-aware command parsing: splits a command line into the simple commands
// it would run, with quoting removed and wrappers looked through, so policies
// match what executes rather than how it was spelled. Contract: docs/architecture.md.
import { markDropped, stripControl, unmarkComponent } from './clean';
import { Emitter, type ParseContext } from './emitter';
import { Scanner } from './scanner';
import type { CommandComponent, ParsedCommand } from './types';

export type { CommandComponent, ComponentOrigin, ParsedCommand, Redirect } from './types';
export { stripControl } from './clean';
export { canonicalText, MAX_OPERAND_TEXTS, operandTexts } from './canonical';
export { MAX_COMPONENTS, MAX_DEPTH } from './component';

/** Parses a command line. Best-effort: never throws; problems are listed in `errors`. */
export function parseCommand(raw: string): ParsedCommand {
  const input = typeof raw === 'string' ? raw : String(raw ?? '');
  const clean = stripControl(input);
  const seen = parseText(clean);
  const dropped = clean !== input;
  const continued = CONTINUED_OPERATOR.test(input);
  const later = evaluatesLater(clean);
  if (!dropped && !continued && !later) return withRebound({ raw: input, clean, ...seen });
  // Other readings of the line, whose commands count too:
  // - the shell drops no control or invisible character: to it they are parts of words, so the clean line can
  //   be structured otherwise (`status \e[0;rm -rf ~` is two commands, `\u200b#;x` no comment, `ca\u200bse` no keyword);
  // - the shell removes a backslash-newline before it reads the line, also between `$` and `(` (`$\⏎(cmd)`);
  //   only after an expansion's or an operator's first character: elsewhere the parser joins them itself, and a
  //   quoted heredoc's body keeps them;
  // - where the line has the shell evaluate a string later (an array subscript given to `let`, `unset`,
  //   `test -v` …, `${x@P}`, `${!x}`, arithmetic on a variable), single quotes only delay the substitutions in
  //   it (`let 'a[$(cmd)]'`): read with them as double quotes.
  const marked = dropped ? markDropped(input) : input;
  const readings = [
    ...(dropped ? [marked] : []),
    ...(continued ? [marked.replace(CONTINUED_OPERATORS, '$1')] : []),
    ...(later ? [marked.replace(/'/g, '"')] : []),
  ].map(parseText);
  const components = [...seen.components];
  addUnseen(components, readings.flatMap((r) => r.components.map(unmarkComponent)));
  return withRebound({
    raw: input,
    clean,
    components,
    operators: seen.operators.concat(...readings.map((r) => r.operators)),
    errors: [...new Set([...seen.errors, ...readings.flatMap((r) => r.errors)])],
    truncated: seen.truncated || readings.some((r) => r.truncated),
  });
}

/** Appends the components whose text `components` does not have yet. */
function addUnseen(components: CommandComponent[], more: readonly CommandComponent[]): void {
  const known = new Set(components.map((c) => c.text));
  for (const c of more) {
    if (known.has(c.text)) continue;
    known.add(c.text);
    components.push(c);
  }
}

/**
 * Names the line rebinds to another command: `alias ls='rm -rf ~'` and `hash -p /bin/rm ls` make a later
 * `ls` run that command instead. The alias's text, and each call of such a name with it replaced, are read too.
 */
function withRebound(p: ParsedCommand): ParsedCommand {
  const bound = new Map<string, string>();
  for (const c of p.components) {
    if (c.binary === 'alias') {
      for (const w of c.argv.slice(1)) {
        const eq = w.indexOf('=');
        if (eq > 0) bound.set(w.slice(0, eq), w.slice(eq + 1));
      }
    } else if (c.binary === 'hash' && c.argv[1] === '-p' && c.argv.length > 3) {
      for (const name of c.argv.slice(3)) bound.set(name, c.argv[2]!);
    }
  }
  if (!bound.size) return p;
  const texts: string[] = [];
  for (const [name, value] of bound) {
    texts.push(value, ...p.components.filter((c) => c.argv[0] === name).map((c) => [value, ...c.argv.slice(1)].join(' ')));
  }
  const components = [...p.components];
  addUnseen(components, texts.flatMap((t) => parseText(t).components));
  return { ...p, components };
}

function parseText(text: string): Omit<ParsedCommand, 'raw' | 'clean'> {
  const ctx: ParseContext = { errors: [], operators: [], count: 0, truncated: false };
  const level = { main: [] as CommandComponent[], extras: [] as CommandComponent[] };
  new Scanner(text, new Emitter(ctx), 0).parseInto(level, 'top');
  return { components: level.extras.length ? level.main.concat(level.extras) : level.main, operators: ctx.operators, errors: ctx.errors, truncated: ctx.truncated };
}

/**
 * The strings a command pattern is tested against: the clean command line
 * first, then each component's text (duplicates dropped). Restrictive rules
 * match if any of them matches; granting rules should require every
 * component's text to match (see docs/matching.md).
 */
export function commandComponentsForMatching(parsed: ParsedCommand): string[] {
  const seen = new Set([parsed.clean]);
  for (const c of parsed.components) seen.add(c.text);
  return [...seen];
}

/** A backslash-newline right after `$`, `<`, `>`, `&`, `|` or `;`, which the shell removes before reading the line. */
const CONTINUED_OPERATOR = /[$<>&|;]\\\n/;
const CONTINUED_OPERATORS = /([$<>&|;])\\\n/g;

/** Commands and expansions that evaluate text later, and a single-quoted substitution they could run. */
const EVALUATES_LATER = /@P\}|\$\{!|\$\{\w+[[:]|\b(let|unset|declare|typeset|local|readonly|export|read|test|mapfile|readarray|printf)\b|\[\[|\(\(|\$\[/;
const SINGLE_QUOTED_SUBSTITUTION = /'[^']*(\$\(|`)[^']*'/;

function evaluatesLater(line: string): boolean {
  return SINGLE_QUOTED_SUBSTITUTION.test(line) && EVALUATES_LATER.test(line);
}
