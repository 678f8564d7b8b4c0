import { parseArgs } from 'node:util';
import type { CliCommand } from '../command';
import { defaultAuditDir } from '../audit-dirs';
import { decideHookPayload, hookFailure, hookMode, parseHookPayload } from '../claude-hook';
import type { GateMode } from '../../core/types';
import { UserError } from '../errors';
import { printable } from '../../core/printable';

const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

/** Reads, decides and answers one payload. */
async function answerPayload(opts: { policy?: string; mode: GateMode; auditDir: string }): Promise<void> {
  const payload = parseHookPayload(await readStdin());
  // Only PreToolUse carries a decision; other events are acknowledged silently.
  if (payload.hook_event_name && payload.hook_event_name !== 'PreToolUse') return;
  const out = await decideHookPayload(payload, opts);
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_PAYLOAD_BYTES) throw new UserError(`<stdin>: hook payload exceeds ${MAX_PAYLOAD_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export const command: CliCommand = {
  name: 'hook',
  summary: 'Claude Code PreToolUse hook: check Read/Write/Edit/WebFetch/Bash calls against the policy',
  help: `rampart-learn hook claude-code [--policy P] [--mode enforce|monitor] [--audit-dir D]

Reads one Claude Code hook payload (JSON on stdin: session_id, cwd,
hook_event_name, tool_name, tool_input), maps the tool call (Bash → exec;
Read/Glob/Grep/LS/NotebookRead → read; Write → write; Edit/MultiEdit/
NotebookEdit → edit; WebFetch → fetch; WebSearch → search; mcp__server__tool →
an MCP call; anything else by its name), decides it, records it in the audit
log and prints the hook decision on stdout, exit code 0:

  {"hookSpecificOutput":{"hookEventName":"PreToolUse",
    "permissionDecision":"allow|deny|ask","permissionDecisionReason":"rampart: …"}}

Inside a \`wrap\`/\`learn\` session or a VS Code Rampart terminal the session's
gate decides (RAMPART_GATE in the environment). Otherwise the call is
evaluated here, against --policy or the rampart.yaml nearest to the payload's
cwd (else the shipped standard policy).

Decisions: allow/watch → allow; deny → deny; ask → ask (Claude Code asks
you), unless the gate's approver already answered. In monitor mode no
permissionDecision is given: the call is recorded and Claude Code's own
permission rules apply. A gate that cannot be reached denies in enforce mode.

When the call cannot be decided (malformed payload, broken policy, unusable
audit directory, any other error) one line goes to stderr. Enforce mode then
exits 2, which Claude Code treats as a block. Monitor mode exits 1, a
non-blocking error Claude Code shows you, and the call goes ahead under its
own permissions; with RAMPART_GATE_FAIL=closed it exits 2 as well.

Options:
  --policy P               policy for local decisions
  --mode enforce|monitor   for local decisions (default enforce)
  --audit-dir D            audit log for local decisions (default $RAMPART_AUDIT_DIR,
                           else \${XDG_STATE_HOME:-~/.local/state}/rampart-learn/audit)

Install it with \`rampart-learn setup claude-code\`.
`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { policy: { type: 'string' }, mode: { type: 'string', default: 'enforce' }, 'audit-dir': { type: 'string' } },
    });
    if (positionals[0] !== 'claude-code' || positionals.length > 1) throw new UserError('usage: rampart-learn hook claude-code [--policy P] [--mode enforce|monitor]');
    const mode = values.mode;
    if (mode !== 'enforce' && mode !== 'monitor') throw new UserError(`--mode expects enforce or monitor, got "${mode}"`);
    // From here on every failure, even one outside this promise chain, ends in the hook's failure exit code:
    // Node's own (1) would let the call through.
    const fail = (err: unknown): number => {
      const failure = hookFailure(err, process.env, hookMode(process.env, mode));
      // The cause may quote the payload or a path taken from it: no terminal controls.
      process.stderr.write(`${printable(failure.message)}\n`);
      return failure.exitCode;
    };
    process.once('uncaughtException', (err) => process.exit(fail(err)));
    try {
      await answerPayload({ policy: values.policy, mode, auditDir: values['audit-dir'] ?? defaultAuditDir() });
      return 0;
    } catch (err) {
      return fail(err);
    }
  },
};
