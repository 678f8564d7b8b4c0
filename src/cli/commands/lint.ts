import { parseArgs } from 'node:util';
import pc from 'picocolors';
import { formatDiagnostic, lintPolicyPath, PolicyError } from '../../core/policy/index';
import type { CliCommand } from '../command';
import { UserError } from '../errors';
import { printable } from '../../core/printable';
import { policyToCheck } from '../policy-files';

const HELP = `Usage: rampart-learn lint [policy.yaml|dir] [--json]

Checks a policy file (or every *.yaml/*.yml of a directory; default ./rampart.yaml,
also given as --policy) and prints each problem as file:line:col: message (hint).

Errors (the policy does not load):
  unknown keys and actions (with "did you mean" hints), wrong types, duplicate
  policy names or keys, invalid globs, YAML syntax, more than one document,
  files over 1 MiB.
Warnings (the policy loads but probably does not do what was meant):
  deprecated "log" action, empty "when" (matches every call), rules shadowed by
  an earlier catch-all, a pattern both allowed and denied in one policy, globs
  that can never match, *_not_matches without its positive partner, and
  default_action: allow with no deny rule.

Options:
  --json   one JSON object per diagnostic (file, line, column, endLine,
           endColumn, offset, endOffset, severity, code, message, hint)

Exit status: 0 when there is no error (warnings allowed), 1 when there are
errors, 2 when the file cannot be read.
`;

export const command: CliCommand = {
  name: 'lint',
  summary: 'Check a policy for errors and likely mistakes',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean', default: false }, policy: { type: 'string' } } });
    const target = policyToCheck('lint', positionals, values.policy);
    let diagnostics;
    try {
      diagnostics = lintPolicyPath(target);
    } catch (err) {
      if (err instanceof PolicyError) throw new UserError(err.message);
      throw err;
    }
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const lines = diagnostics.map((d) =>
      // A diagnostic quotes the policy's own text (a pattern), which may hold terminal controls.
      values.json ? JSON.stringify(d) : (d.severity === 'error' ? pc.red : pc.yellow)(printable(formatDiagnostic(d))),
    );
    if (!values.json) {
      const warnings = diagnostics.length - errors;
      lines.push(diagnostics.length ? `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}` : 'no problems found');
    }
    if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
    return errors ? 1 : 0;
  },
};
