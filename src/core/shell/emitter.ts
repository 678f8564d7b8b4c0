// State shared by every scanner of one parse (errors, operators, the component
// count and caps, variables seen so far), and the entry points that parse a
// nested command string (`sh -c`, eval, here-strings) with that state.
import { MAX_COMPONENTS, MAX_DEPTH, type Level } from './component';
import { Scanner } from './scanner';
import type { ComponentOrigin } from './types';

export interface ParseContext {
  errors: string[];
  operators: string[];
  /** Components emitted so far (all levels). */
  count: number;
  truncated: boolean;
  /** Plain variables assigned earlier in the command line (`a=rm; $a -rf /`). */
  vars?: Map<string, string>;
  /** Bodies of the shell functions defined earlier in the command line, by name. */
  functions?: Map<string, string>;
  /** The arguments of the function call whose body is being parsed, or of `sh -c SCRIPT NAME ARG…` (`$1`…). */
  positional?: string[];
  /** `$0` of `sh -c SCRIPT NAME …`: NAME. */
  argZero?: string;
  /** Functions whose body is being parsed (not expanded again inside it), and calls expanded so far. */
  activeFunctions?: Set<string>;
  functionCalls?: number;
}

/** Shared by every scanner of one parse: collects errors and parses nested command strings. */
export class Emitter {
  /** The component cap has been reached: stop parsing. */
  full = false;

  constructor(readonly ctx: ParseContext) {}

  parseText(text: string, origin: ComponentOrigin, depth: number): Level {
    const level: Level = { main: [], extras: [] };
    new Scanner(text, this, depth).parseInto(level, origin);
    return level;
  }

  /** Shell-style word splitting of `text` (for `env -S`), without running anything. */
  splitWords(text: string, depth: number): string[] {
    return new Scanner(text, this, depth).words();
  }

  tooDeep(): void {
    this.ctx.truncated = true;
    this.error(`nesting deeper than ${MAX_DEPTH} levels: inner text left unparsed`);
  }

  tooMany(): void {
    this.full = true;
    this.ctx.truncated = true;
    this.error(`more than ${MAX_COMPONENTS} commands: the rest is left unparsed`);
  }

  error(message: string): void {
    // Hostile input can repeat the same problem thousands of times; keep the list short.
    if (this.ctx.errors.length < 50 && !this.ctx.errors.includes(message)) this.ctx.errors.push(message);
  }
}

