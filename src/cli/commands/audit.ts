import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { verifyAudit } from '../../core/audit/index';
import type { CliCommand } from '../command';
import { UserError } from '../errors';

export const command: CliCommand = {
  name: 'audit',
  summary: 'Verify the hash chain of an audit log',
  help: `rampart-learn audit verify [--json] <file|dir>

Checks the SHA-256 hash chain of an audit log: a file, or a directory whose
audit.jsonl, audit.000002.jsonl, … are read in chain order. Every record must
match its hash and point at the record before it.

Prints "ok: …" and exits 0 when the chain is intact. Otherwise prints the first
line that was edited, removed, reordered or inserted as file:line and exits 1.
A torn line left by a crash mid-write is reported as a warning and skipped.

The chain proves the log was not changed after the fact by someone who did not
rewrite every later line; keep the printed head hash elsewhere to also detect
lines cut from the end.

Options:
  --json    print the result as one JSON object
`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' } } });
    const [sub, target, extra] = positionals;
    if (sub !== 'verify') throw new UserError(sub ? `unknown audit sub-command "${sub}" (expected verify)` : 'usage: rampart-learn audit verify <file|dir>');
    if (!target || extra) throw new UserError('usage: rampart-learn audit verify <file|dir>');
    if (!existsSync(target)) throw new UserError(`${target}: no such file or directory`);
    const result = await verifyAudit(target);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return result.ok ? 0 : 1;
    }
    for (const t of result.torn) process.stderr.write(`${t.file}:${t.line}: warning: ${t.message}\n`);
    if (!result.ok && result.problem) {
      process.stdout.write(`${result.problem.file}:${result.problem.line}: ${result.problem.message}\n`);
      process.stdout.write(`chain broken after ${result.records} good records\n`);
      return 1;
    }
    if (!result.files.length) throw new UserError(`${target}: no audit files (audit.jsonl, audit.NNNNNN.jsonl) found`);
    process.stdout.write(`ok: ${result.events} events, ${result.records - result.events} completion records in ${result.files.length} file(s); chain intact, head ${result.head}\n`);
    return 0;
  },
};
