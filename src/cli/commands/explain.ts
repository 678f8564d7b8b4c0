import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readAuditEvents } from '../../core/audit/index';
import { countMatches, describePattern, distinctValues, isConditionKey, patternKind, ruleName, SUBJECT, type RecordedValue } from '../../core/policy/pattern-info';
import { CURRENT_ACTIONS } from '../../core/policy/schema';
import { printable } from '../../core/printable';
import { grouped } from '../../core/plural';
import type { Action, AuditEvent } from '../../core/types';
import { defaultAuditDir } from '../audit-dirs';
import type { CliCommand } from '../command';
import { UserError } from '../errors';
import { forStream } from '../plain-text';

const HELP = `Usage: rampart-learn explain [--key K] [--action A] [--audit-dir D] [--last N]
                             [--json] PATTERN

Says what a policy pattern means and which recorded calls it matches: the
calls of its tools among the newest N of an audit log, tried with the policy
engine's own matching (the same as the VS Code hover).

Options:
  --key K        the condition the pattern is in (default command_matches):
                 command_matches, command_not_matches, command_contains,
                 path_matches, path_not_matches, domain_matches, url_matches, …
  --action A     the rule's action (default allow): a deny or ask rule fires on
                 any part of a compound command, an allow or watch rule needs
                 every part to match
  --audit-dir D  the audit log to count in (default: the one wrap and hook
                 write, $RAMPART_AUDIT_DIR or ~/.local/state/rampart-learn/audit)
  --last N       how many of the newest calls of the pattern's tools to look
                 at (default 5000)
  --json         {"pattern","key","action","meaning":[…],"matched","distinct",
                  "matchedCalls","calls","examples":[…]}

Exit status: 0, or 2 for bad arguments, an invalid pattern, an --audit-dir that
does not exist or an unreadable log.
`;

const EXAMPLES = 5;

/** The distinct values of the newest `last` calls of `tools` in an audit log, with how often each was seen. */
async function recordedValues(dir: string, tools: readonly string[], param: 'command' | 'path' | 'url', last: number): Promise<RecordedValue[]> {
  const newest: AuditEvent[] = [];
  for await (const e of readAuditEvents(dir)) {
    if (!tools.includes(e.tool) || typeof e.request[param] !== 'string') continue;
    newest.push(e);
    // Bounded memory on a long log: drop the older half now and then.
    if (newest.length > 2 * last) newest.splice(0, newest.length - last);
  }
  return distinctValues(newest.slice(-last), (e) => ({ tool: e.tool, value: e.request[param] as string }), (e) => ({ cwd: e.cwd, agent: e.agent }));
}

export const command: CliCommand = {
  name: 'explain',
  summary: 'Say what a policy pattern means and which recorded calls it matches',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        key: { type: 'string', default: 'command_matches' },
        action: { type: 'string', default: 'allow' },
        'audit-dir': { type: 'string' },
        last: { type: 'string', default: '5000' },
        json: { type: 'boolean', default: false },
      },
    });
    const [pattern, ...extra] = positionals;
    if (pattern === undefined || extra.length) throw new UserError('explain takes one PATTERN (quote it: rampart-learn explain "git *")');
    const key = values.key!;
    if (!isConditionKey(key)) throw new UserError(`--key ${printable(key)}: not a condition of a rule's when`);
    const action = values.action as Action;
    if (!(CURRENT_ACTIONS as readonly string[]).includes(action)) throw new UserError(`--action ${printable(values.action!)}: one of ${CURRENT_ACTIONS.join(', ')}`);
    const last = Number(values.last);
    if (!Number.isInteger(last) || last < 1) throw new UserError(`--last ${printable(values.last!)}: a whole number of calls, 1 or more`);
    const dir = values['audit-dir'] ?? defaultAuditDir();
    // No log yet in the default place is a state; a path the user typed that is not there is a mistake.
    if (values['audit-dir'] !== undefined && !existsSync(dir)) throw new UserError(`--audit-dir ${printable(dir)}: no such file or directory`);
    const { tools, param } = SUBJECT[patternKind(key)];
    const recorded = existsSync(dir) ? await recordedValues(dir, tools, param, last) : undefined;
    const reading = { key, action };
    const count = countMatches(pattern, reading, recorded ?? [], EXAMPLES);
    if (count.error) throw new UserError(`${printable(pattern)}: ${count.error}`);
    const meaning = describePattern(pattern, reading);
    if (values.json) {
      const { matched, distinct, matchedCalls, calls, examples } = count;
      process.stdout.write(`${JSON.stringify({ pattern, key, action, meaning, matched, distinct, matchedCalls, calls, examples, auditDir: dir })}\n`);
      return 0;
    }
    // The meaning is markdown for the editor's hover: in a terminal, without its bold marks.
    const out = [`${printable(pattern)}: ${key} of ${ruleName(action)}`, ...meaning.map((l) => `  ${l.replace(/\*\*/g, '')}`)];
    if (!recorded) out.push(`No audit log at ${printable(dir)}: nothing to count (give one with --audit-dir).`);
    else {
      const verb = key.endsWith('_not_matches') ? 'Excludes' : 'Matches';
      out.push(`${verb} ${grouped(count.matched)} of ${grouped(count.distinct)} distinct values (${grouped(count.matchedCalls)} of ${grouped(count.calls)} calls) among the newest ${tools.join('/')} calls of ${printable(dir)}${count.examples.length ? ':' : '.'}`);
      out.push(...count.examples.map((e) => `  ${printable(e)}`));
    }
    process.stdout.write(forStream(process.stdout, `${out.join('\n')}\n`));
    return 0;
  },
};
