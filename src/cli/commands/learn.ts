import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { ulid } from 'ulid';
import { auditFileName, listAuditFiles } from '../../core/audit/index';
import { formatDuration } from '../../core/learn/format-summary';
import { shellWord } from '../../core/shell/quote';
import type { CliCommand } from '../command';
import { UserError } from '../errors';
import { checkOutputTarget, DEFAULT_JSON_OUTPUT, DEFAULT_OUTPUT, learnOutput, parseFormat, reportLearnSession } from '../learn-report';
import { intOption } from '../options';
import { forStream } from '../plain-text';
import { resolvePolicyPath } from '../policy-files';
import { runUnderGate, splitAtDashDash } from '../run-under-gate';
import { plural } from '../../core/plural';

const USAGE = 'rampart-learn learn [options] -- <command> [args…]';

/** A note on stderr, in plain ASCII when stderr is not a colour terminal. */
const note = (text: string): void => void process.stderr.write(forStream(process.stderr, text));

export const command: CliCommand = {
  name: 'learn',
  summary: 'Run an agent in monitor mode and suggest the allow rules it needed',
  help: `${USAGE}

Runs <command> (your agent) under a local gate in monitor mode: nothing is
blocked, every shell command it starts is recorded with the decision the
policy would have made. When it exits (or you press Ctrl+C, which goes to the
agent), the recorded calls are analysed and a reviewed-before-use policy
fragment of suggested allow rules is written.

Options:
  --policy P           policy whose decisions are recorded and which the
                       suggestions are checked against (default ./rampart.yaml
                       if present, else the shipped standard policy)
  -o, --output F       fragment file (default ${DEFAULT_OUTPUT}; with --format
                       json, ${DEFAULT_JSON_OUTPUT})
  --format text|yaml|json
                       text (default): summary on stdout, fragment to --output;
                       yaml: the same, notes on stderr; json: the suggestions
                       for tools (not a fragment \`apply\` reads), notes on stderr
  --min-frequency N    suggest a pattern only after N observations (default 1)
  --no-generalize      exact commands and paths, no globs
  --no-companions      suggest only what the agent ran: not the other
                       inspection tools (head, tail, sleep …) once it used two
  --append             merge new patterns and tests into an existing --output
                       fragment (not with --format json)
  --force              replace an existing --output file that is not an
                       earlier fragment (the policy in use is never replaced)
  --agent NAME         agent label (default: the command's name)
  --audit-dir D        keep the raw audit log in D (default: a private temp
                       directory, deleted after the analysis); only this
                       session's calls are analysed, whatever else D holds
  --keep-audit         do not delete the temp audit log

Safety: the audit log holds the commands, paths and URLs the agent used.
Secrets are redacted before they are written, but review it before sharing.
Nothing learned is applied to your policy: review the fragment, then use
\`rampart-learn apply\`.

Example:
  rampart-learn learn -- claude
  rampart-learn learn --min-frequency 2 -- codex exec 'fix the bug in auth.py'
`,
  async run(argv) {
    const { options, command: cmd } = splitAtDashDash(argv, USAGE);
    const { values, positionals } = parseArgs({
      args: options,
      allowPositionals: true,
      options: {
        policy: { type: 'string' },
        output: { type: 'string', short: 'o' },
        format: { type: 'string', default: 'text' },
        'min-frequency': { type: 'string' },
        'no-generalize': { type: 'boolean', default: false },
        'no-companions': { type: 'boolean', default: false },
        'audit-dir': { type: 'string' },
        'keep-audit': { type: 'boolean', default: false },
        append: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        agent: { type: 'string' },
      },
    });
    if (positionals.length) throw new UserError(`unexpected argument "${positionals[0]}" before --: ${USAGE}`);
    const format = parseFormat(values.format);
    const minFrequency = intOption(values['min-frequency'], '--min-frequency', 1, 1);
    const policyPath = resolvePolicyPath(values.policy);
    const agent = values.agent ?? basename(cmd[0]);
    const output = learnOutput(format, values.output, values.append);
    checkOutputTarget(output, { policyPath, append: values.append, force: values.force });
    const tempAudit = !values['audit-dir'];
    const auditDir = values['audit-dir'] ?? join(tmpdir(), `rampart-learn-${ulid()}`);

    let result;
    try {
      result = await runUnderGate({
        policy: policyPath,
        mode: 'monitor',
        auditDir,
        agent,
        command: cmd,
        onReady: () => {
          note(
            `\n🎓  rampart learn: Starting observation session\n` +
              `    Policy: ${policyPath} (monitor mode — nothing will be blocked)\n` +
              `    Audit:  ${join(auditDir, auditFileName(1))}\n\n`,
          );
        },
      });
    } catch (err) {
      // Nothing ran (bad policy, agent not found): leave no temp directory behind.
      if (tempAudit) rmSync(auditDir, { recursive: true, force: true });
      throw err;
    }

    const calls = result.stats.evaluated;
    if (calls) note(`\n📊  Observed ${plural(calls, 'tool call')} over ${formatDuration(result.durationMs)}. Analyzing…\n\n`);
    try {
      await reportLearnSession({
        // No call this session: the earlier sessions an --audit-dir may hold are not this one's to learn from.
        auditPaths: calls ? listAuditFiles(auditDir) : [],
        policyPath,
        output,
        format,
        minFrequency,
        generalize: !values['no-generalize'],
        companions: !values['no-companions'],
        append: values.append,
        force: values.force,
        agent,
        commandLine: `rampart-learn learn -- ${cmd.map(shellWord).join(' ')}`,
        durationMs: result.durationMs,
        // Not the session id: calls the Claude Code hook sends carry Claude Code's own.
        since: result.startedAt,
      });
    } catch (err) {
      // The session cannot be run again: keep what it recorded, and say how to analyse it.
      const since = tempAudit ? '' : ` --since ${result.startedAt.toISOString()}`;
      note(`\n⚠️   No fragment written. The audit log is kept at ${auditDir}; analyse it with: rampart-learn analyze ${auditDir}${since} --output FILE\n`);
      throw err;
    }
    if (tempAudit && !values['keep-audit']) rmSync(auditDir, { recursive: true, force: true });
    else {
      note(
        `\n⚠️   Audit log kept at ${auditDir}: it holds the commands, paths and URLs the agent used ` +
          `(secrets redacted). Review before sharing; delete it when done.\n`,
      );
    }
    return result.exitCode;
  },
};
