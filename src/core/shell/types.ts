// Data shapes produced by the shell parser. See docs/architecture.md
// ("Shell parser") for the contract other modules code against.

/**
 * Where a component came from. The first six are the contract's values; the
 * rest are additions: a heredoc fed to a shell, `find -exec`, `xargs`, the
 * command run by `sudo`/`doas`/`pkexec`/`su -c`, a program named by a path
 * glob (`/???/r?`), a script echoed or decoded into a shell's stdin, and the
 * body of a shell function defined earlier in the line, run by a call to it,
 * and the command a launcher runs (`taskset 1 CMD`, `strace -f CMD`, `flock F CMD`).
 */
export type ComponentOrigin =
  | 'top'
  | 'substitution'
  | 'shell-c'
  | 'eval'
  | 'here-string'
  | 'process-substitution'
  | 'here-doc'
  | 'find-exec'
  | 'xargs'
  | 'elevated'
  | 'glob-expansion'
  | 'piped-script'
  | 'function'
  | 'launched';

export interface Redirect {
  /** Operator including any fd prefix: `>`, `>>`, `2>`, `&>`, `2>&`, `<`, `<<`, `<<-`, `<<<`, `<>`, `>|`. */
  op: string;
  /** Target after quote removal (for heredocs the delimiter word). */
  target: string;
  /** Heredoc body (`<<`, `<<-`), when it was found. */
  body?: string;
  /** The target has unquoted glob or brace characters (`> ~/.b*rc`): the shell expands it. */
  glob?: true;
}

export interface CommandComponent {
  /** Words after quote removal, with wrappers and VAR=value prefixes stripped. */
  argv: string[];
  /** Basename of argv[0] ('' when none). */
  binary: string;
  /**
   * `binary` followed by argv[1..], single-spaced, with the flags of
   * destructive commands in canonical form (see canonical.ts). A statement
   * made only of assignments has empty argv and the assignments as its text.
   */
  text: string;
  origin: ComponentOrigin;
  redirects: Redirect[];
  /** This component's stdout is piped into the next one in `components`. */
  pipeToNext: boolean;
  /** Stripped VAR=value prefixes (including those given to `env`). */
  env: Record<string, string>;
  /** Stripped wrappers, outermost first, e.g. ['env', 'nohup'] or ['bash -c']. */
  wrappers: string[];
  /** Set when parsing gave up (depth or size cap) and `text` is unparsed source. */
  opaque?: true;
  /**
   * Indexes (≥ 1) in argv of the words with unquoted glob or brace characters
   * (`cat /etc/sh?dow`, `~/.s?h`, `/etc/{a,b}`): the shell would replace them by
   * the paths they name, which the text does not show.
   */
  globArgs?: number[];
}

export interface ParsedCommand {
  raw: string;
  /** `raw` with ANSI escape sequences and control characters removed. */
  clean: string;
  components: CommandComponent[];
  /** `&&` `||` `;` `|` `&` `\n` (and `;;` in case statements), in source order, all nesting levels. */
  operators: string[];
  /** Problems met while parsing; the rest was still parsed. */
  errors: string[];
  /** Some of the input was left unparsed (caps hit); that text is in opaque components. */
  truncated: boolean;
}
