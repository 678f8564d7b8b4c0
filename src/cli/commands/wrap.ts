import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { plural } from '../../core/plural';
import type { CliCommand } from '../command';
import { defaultAuditDir } from '../audit-dirs';
import { UserError } from '../errors';
import { resolvePolicyPath } from '../policy-files';
import { runUnderGate, splitAtDashDash } from '../run-under-gate';
import { ttyApprover } from '../tty-approver';

const USAGE = 'rampart-learn wrap [--mode enforce|monitor] [--policy P] -- <command> [args…]';

export const command: CliCommand = {
  name: 'wrap',
  summary: 'Run an agent with its shell commands checked by the policy (enforce or monitor)',
  help: `${USAGE}

Runs <command> with a local policy gate: its SHELL, CLAUDE_CODE_SHELL and the
bash/sh/zsh/dash on its PATH are replaced by the Rampart shim, so every
\`shell -c COMMAND\` it starts through them is checked against the policy and
recorded in the audit log before it runs. Not seen: commands written to a
shell's stdin, scripts, interactive shells, and programs that run /bin/sh by
its absolute path (Python's shell=True and os.system, Node's exec and
execSync): pass them $SHELL (docs/gate.md). Stdio is passed through; the
command's exit code is returned. On exit a summary goes to stderr:
  rampart: N calls evaluated, N denied, N asked, N watched
(in monitor mode: N would be denied, N would be asked).

Options:
  --mode enforce|monitor  enforce (default): deny blocks the command (exit 126,
                          "rampart: blocked — <message>"); ask prompts on the
                          terminal and is refused without one. monitor: record
                          the real decisions, block nothing.
  --policy P              policy file or directory (default ./rampart.yaml if
                          present, else the shipped standard policy). Edits are
                          picked up while the agent runs; a broken edit is
                          reported and the last good policy stays in force.
  --audit-dir D           audit log directory (default $RAMPART_AUDIT_DIR, else
                          \${XDG_STATE_HOME:-~/.local/state}/rampart-learn/audit)
  --agent NAME            agent name recorded in the audit log (default: the
                          command's name)

Examples:
  rampart-learn wrap -- claude
  rampart-learn wrap --mode monitor --policy team.yaml -- codex exec 'fix the tests'
`,
  async run(argv) {
    const { options, command: cmd } = splitAtDashDash(argv, USAGE);
    const { values, positionals } = parseArgs({
      args: options,
      allowPositionals: true,
      options: {
        mode: { type: 'string', default: 'enforce' },
        policy: { type: 'string' },
        'audit-dir': { type: 'string' },
        agent: { type: 'string' },
      },
    });
    if (positionals.length) throw new UserError(`unexpected argument "${positionals[0]}" before --: ${USAGE}`);
    const mode = values.mode;
    if (mode !== 'enforce' && mode !== 'monitor') throw new UserError(`--mode expects enforce or monitor, got "${mode}"`);
    const result = await runUnderGate({
      policy: resolvePolicyPath(values.policy),
      mode,
      auditDir: values['audit-dir'] ?? defaultAuditDir(),
      agent: values.agent ?? basename(cmd[0]),
      command: cmd,
      approver: mode === 'enforce' ? ttyApprover() : undefined,
    });
    const s = result.stats;
    // In monitor mode nothing was blocked: the counts say what enforce mode would have done.
    const would = mode === 'monitor' ? 'would be ' : '';
    process.stderr.write(`rampart: ${plural(s.evaluated, 'call')} evaluated, ${s.denied} ${would}denied, ${s.asked} ${would}asked, ${s.watched} watched\n`);
    return result.exitCode;
  },
};
