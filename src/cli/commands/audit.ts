import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { verifyAudit, type VerifyResult } from '../../core/audit/index';
import type { CliCommand } from '../command';
import { UserError } from '../errors';
import { printable } from '../../core/printable';
import { plural } from '../../core/plural';

export const command: CliCommand = {
  name: 'audit',
  summary: 'Verify the hash chain of an audit log',
  help: `rampart-learn audit verify [--json] <file|dir>

Checks the SHA-256 hash chain of an audit log: a file, or a directory whose
audit.jsonl, audit.000002.jsonl, … are read in chain order. Every record must
match its hash and point at the record before it.

Prints "ok: …" and exits 0 when the chain is intact. Otherwise prints the first
line that was edited, removed, reordered or inserted as file:line and exits 1.
A record cut short by a crash mid-write (a torn line) is reported as a warning
and skipped when it is the last line or the chain continues past it; any other
line that is not a record is an error. Lines but no audit record at all: "not
an audit log", exit 1. An empty log (what a writer stopped during its first
write leaves) holds no chain: "ok: … empty log", exit 0.

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
    for (const t of result.torn) process.stderr.write(`${printable(`${t.file}:${t.line}: warning: ${t.message}`)}\n`);
    if (!result.ok && result.problem) {
      process.stdout.write(`${printable(`${result.problem.file}:${result.problem.line}: ${result.problem.message}`)}\n`);
      if (result.records) process.stdout.write(`chain broken after ${plural(result.records, 'good record')}\n`);
      return 1;
    }
    if (!result.files.length) throw new UserError(`${target}: no audit files (audit.jsonl, audit.NNNNNN.jsonl) found`);
    process.stdout.write(`ok: ${summary(result)}\n`);
    return 0;
  },
};

function summary(result: VerifyResult): string {
  const files = plural(result.files.length, 'file');
  // The writer creates a file with its first record, so no record means it was stopped during that first write.
  if (!result.records) return `empty log, no audit record in ${files} (a writer stopped during its first write leaves one); no chain to verify`;
  return `${result.events} events, ${result.records - result.events} completion records in ${files}; chain intact, head ${result.head}`;
}
