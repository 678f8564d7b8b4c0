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
  if (clean === input) return { raw: input, clean, ...seen };
  // The shell does not drop control and invisible characters: to it they are parts of words, so what the
  // clean line shows can be structured otherwise (`status \e[0;rm -rf ~` is two commands, `\u200b#;x` no
  // comment, `ca\u200bse` no keyword). The line is also parsed as the shell reads it, and both readings' commands count.
  const shell = parseText(markDropped(input));
  const known = new Set(seen.components.map((c) => c.text));
  const extra = shell.components.map(unmarkComponent).filter((c) => !known.has(c.text));
  return {
    raw: input,
    clean,
    components: seen.components.concat(extra),
    operators: seen.operators.concat(shell.operators),
    errors: [...new Set([...seen.errors, ...shell.errors])],
    truncated: seen.truncated || shell.truncated,
  };
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
