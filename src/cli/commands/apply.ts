import { parseArgs } from 'node:util';
import { createColors } from 'picocolors';
import { applyFragment, MergeError } from '../../core/learn/merge';
import { lintPolicyText } from '../../core/policy/index';
import { shellWord } from '../../core/shell/quote';
import type { CliCommand } from '../command';
import { UserError } from '../errors';
import { assertWritable, backupFile, DEFAULT_POLICY, MAX_FRAGMENT_BYTES, readUserText, wantsColor, withFileLock, writeFileAtomic } from '../policy-files';

const HELP = `Usage: rampart-learn apply <fragment.yaml> [--policy rampart.yaml] [--select PATTERN]... [--dry-run]

Merges the policies of a fragment (the learned-* ones \`learn\` and
\`analyze\` write) into a policy file; review a fragment you did not generate
before applying it. Only text is inserted: the file's comments, order, quoting
and blank lines stay as they are. A policy the file already has
(e.g. learned-exec from an earlier session) only gains the patterns it lacks,
so applying the same fragment twice changes nothing.

Before writing, a backup is made (rampart.yaml.bak, or a timestamped
rampart.yaml.<time>.bak when that exists) and a unified diff is printed. The
result must not add lint errors, or nothing is written.

Options:
  --policy FILE       policy file to change (default: ./${DEFAULT_POLICY})
  --select PATTERN    apply only this pattern of the fragment (repeatable);
                      its policy comes along if the file lacks it
  --dry-run           print the diff, write nothing

Exit status: 0 when applied (or nothing to add), 1 when the merged file
would not lint clean, 2 on bad input.
`;

function colorDiff(diff: string, color: boolean): string {
  const c = createColors(color);
  return diff
    .split('\n')
    .map((line) => (line.startsWith('+') && !line.startsWith('+++') ? c.green(line) : line.startsWith('-') && !line.startsWith('---') ? c.red(line) : line.startsWith('@@') ? c.cyan(line) : line))
    .join('\n');
}

export const command: CliCommand = {
  name: 'apply',
  summary: 'Merge a learned fragment into a policy file (backup + diff)',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        policy: { type: 'string' },
        select: { type: 'string', multiple: true },
        'dry-run': { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 1) throw new UserError('apply: give exactly one fragment file (see --help)');
    const fragmentFile = positionals[0]!;
    const policyFile = values.policy ?? DEFAULT_POLICY;
    const fragment = readUserText(fragmentFile, 'fragment', MAX_FRAGMENT_BYTES);
    const merge = () => mergeInto(policyFile, fragmentFile, fragment, values.select, values['dry-run']);
    return values['dry-run'] ? merge() : withFileLock(policyFile, merge);
  },
};

/** Reads the policy, merges the fragment in and, unless `dryRun`, writes it back after a backup; returns the exit status. */
function mergeInto(policyFile: string, fragmentFile: string, fragment: string, select: string[] | undefined, dryRun: boolean): number {
  const before = readUserText(policyFile, 'policy file', MAX_FRAGMENT_BYTES);

  let result;
  try {
    result = applyFragment(before, fragment, { select, file: policyFile, fragmentFile });
  } catch (err) {
    if (err instanceof MergeError) throw new UserError(err.message);
    throw err;
  }
  for (const b of result.blocked) process.stdout.write(`Note: ${b}; remove that guard from ${policyFile} if you approve the call.\n`);
  if (result.text === before) {
    process.stdout.write(`Nothing to add: ${policyFile} already has every ${select ? 'selected pattern' : 'pattern'} of ${fragmentFile}.\n`);
    return 0;
  }
  process.stdout.write(`${colorDiff(result.diff, wantsColor(process.stdout))}\n`);

  const errorsBefore = lintPolicyText(before, policyFile).filter((d) => d.severity === 'error').length;
  const errorsAfter = lintPolicyText(result.text, policyFile).filter((d) => d.severity === 'error');
  if (errorsAfter.length > errorsBefore) {
    const d = errorsAfter[0]!;
    process.stderr.write(`rampart-learn: the merged policy would not lint clean (${d.file}:${d.line}:${d.column}: ${d.message}); nothing written\n`);
    return 1;
  }
  const n = result.added.length;
  if (result.spared.length) {
    const s = result.spared.length === 1 ? '' : 's';
    process.stdout.write(`Left out ${result.spared.length} guard${s} of the fragment (${s ? "e.g. " : ""}"${result.spared[0]}"): a pattern already in ${policyFile} allows what ${s ? 'they refuse' : 'it refuses'}, and merging ${s ? 'them' : 'it'} would take that back.\n`);
  }
  if (dryRun) {
    process.stdout.write(`Dry run: would add ${n} pattern${n === 1 ? '' : 's'} to ${policyFile}.\n`);
    return 0;
  }
  assertWritable(policyFile);
  const backup = backupFile(policyFile);
  writeFileAtomic(policyFile, result.text);
  process.stdout.write(`Added ${n} pattern${n === 1 ? '' : 's'} to ${policyFile} (backup: ${backup}).\nNext: rampart-learn lint ${shellWord(policyFile)} && rampart-learn test ${shellWord(policyFile)}\n`);
  return 0;
}
