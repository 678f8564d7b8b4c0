// Whether an agent's program can be started: named by a path, it must be an
// executable file; named bare, an executable of that name must be in a PATH
// folder. Checked before a session starts, so a missing agent is said at once
// instead of as "command not found" in a terminal whose session recorded nothing.
import { isExecutable } from '../executable';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { parseCommand } from '../shell/index';

/** The words of the command a command line starts, its program first (assignments and wrappers stripped). */
export function startedArgv(commandLine: string): string[] {
  return parseCommand(commandLine).components[0]?.argv ?? [];
}

/** The program a command line starts (`aider --yes` → aider, `FOO=1 ~/bin/x` → ~/bin/x), or undefined. */
export function programOf(commandLine: string): string | undefined {
  return startedArgv(commandLine)[0] || undefined;
}

/**
 * Whether `program` resolves to an executable file: relative to `cwd` (or the
 * home folder, after `~/`) when it names a folder, else in a folder of `path`
 * (on Windows, with one of `pathext`'s extensions too). A program named through
 * a variable (`$HOME/bin/x`) cannot be checked here and counts as found.
 */
export function programOnPath(program: string, path: string, cwd: string, pathext = ''): boolean {
  if (program.includes('$')) return true;
  const exts = ['', ...pathext.split(';').filter(Boolean)];
  const found = (base: string) => exts.some((e) => isExecutable(base + e));
  if (program.startsWith('~/')) return found(join(homedir(), program.slice(2)));
  if (program.includes('/') || program.includes('\\')) return found(isAbsolute(program) ? program : resolve(cwd, program));
  return path.split(delimiter).some((dir) => dir !== '' && found(join(dir, program)));
}
