// util.parseArgs' errors and unknown words, in our words, with the word the
// user probably meant (the same "did you mean" the policy linter gives).
import { suggest } from '../core/policy/diagnostics';
import { UserError } from './errors';

/** " (did you mean X?)" when one candidate is close to `word`, else nothing. */
export const hint = (word: string, candidates: readonly string[]): string => {
  const h = suggest(word, candidates);
  return h ? ` (${h})` : '';
};

/** A bad option of `command` (e.g. "check", "telemetry recent"), with the options its `help` names. */
export function optionError(command: string, help: string, err: NodeJS.ErrnoException, argv: readonly string[] = []): UserError {
  const option = /'(-[^' ]+)/.exec(err.message)?.[1] ?? '';
  const known = [...new Set(help.match(/--[a-z][a-z-]*/g) ?? [])];
  const more = `see \`rampart-learn ${command.split(' ')[0]} --help\``;
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    // `predict ls -la`, `check git push --force`: the options were the command's, not ours.
    const at = argv.findIndex((a) => a.startsWith(option));
    const afterWord = argv.slice(0, at).some((a) => !a.startsWith('-'));
    const takesCommand = /"<command>"|\[VALUE\]/.test(help.split('\n\n')[0]);
    const operand = takesCommand && (afterWord || !option.startsWith('--')) ? '; quote a command that has options ("ls -la") or put it after --' : '';
    return new UserError(`${command}: unknown option ${option}${hint(option, known)}${operand}; ${more}`);
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /ambiguous/.test(err.message)) {
    return new UserError(`${command}: ${option} needs a value; for one starting with "-", write ${option}=-…`);
  }
  return new UserError(`${command}: ${err.message.split('\n')[0]}; ${more}`);
}
