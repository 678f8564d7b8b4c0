// Shell-aware command parsing: splits a command line into the simple commands
// it would run, with quoting removed and wrappers looked through, so policies
// match what executes rather than how it was spelled. Contract: docs/architecture.md.
import { stripControl } from './clean';
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
  const ctx: ParseContext = { errors: [], operators: [], count: 0, truncated: false };
  const level = { main: [] as CommandComponent[], extras: [] as CommandComponent[] };
  new Scanner(clean, new Emitter(ctx), 0).parseInto(level, 'top');
  return {
    raw: input,
    clean,
    components: level.extras.length ? level.main.concat(level.extras) : level.main,
    operators: ctx.operators,
    errors: ctx.errors,
    truncated: ctx.truncated,
  };
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
