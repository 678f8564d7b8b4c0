import { existsSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { parseArgs } from 'node:util';
import {
  evaluate,
  loadPolicy,
  paramForTool,
  PolicyError,
  shippedPolicyPath,
  missingSubject,
  requireSubject,
  toolCallFromJson,
  type CallDefaults,
  type PolicySet,
} from '../../core/policy/index';
import type { Action, Decision, ToolCall } from '../../core/types';
import type { CliCommand } from '../command';
import { UserError } from '../errors';
import { printable } from '../../core/printable';

const HELP = `Usage: rampart-learn check [--policy <file|dir>] [--tool T] [--agent A] [--session S]
                           [--cwd D] [--json] [VALUE]

Evaluates tool calls against a policy and prints the decision.

With VALUE, checks that one call: VALUE is the command (exec), the URL (fetch),
the query (search) or the path (any other tool). Without VALUE, reads JSON
lines on stdin, one call per line:
  {"tool":"exec","params":{"command":"git status"}}
  {"tool":"read","params":{"path":"~/.ssh/id_rsa"},"cwd":"/work"}
  {"tool":"fetch","params":{"url":"https://example.com"},"agent":"claude-code"}
(optional "agent", "session", "cwd"; --tool/--agent/--session/--cwd fill in
fields a line leaves out).

Options:
  --policy <file|dir>  policy file, or a directory of *.yaml/*.yml files
                       (default: ./rampart.yaml if present, else the shipped
                       standard policy)
  --tool <name>        exec (default), read, write, edit, fetch, search, …
  --agent <name>       agent of the call (matched by policies' match.agent)
  --session <id>       session of the call (matched by match.session)
  --cwd <dir>          directory relative paths resolve against
  --json               one JSON object per call, in input order:
                       {"action":"deny","policy":"…","rule":0,"message":"…","eval_us":1.9}
                       (policy and rule are null when default_action decided)

A malformed input line prints {"error":"line 7: …"} (with --json) or an
error on stderr, and the stream goes on.

Exit status:
  without --json  0 when every call is allowed or watched, 1 when any call is
                  denied, 3 when none is denied but some ask
  with --json     0 (the decisions are in the output)
  2               bad arguments, an invalid policy, or a malformed input line
`;

/** A line longer than this is reported and skipped rather than buffered. */
const MAX_LINE_CHARS = 16 * 1024 * 1024;

const SEVERITY: Record<Action, number> = { allow: 0, watch: 0, ask: 3, deny: 1 };

function defaultPolicy(): string {
  return existsSync('rampart.yaml') ? 'rampart.yaml' : shippedPolicyPath('standard');
}

function load(path: string): PolicySet {
  try {
    return loadPolicy(path);
  } catch (err) {
    if (err instanceof PolicyError) throw new UserError(err.message);
    throw err;
  }
}

function describeCall(call: ToolCall): string {
  const p = call.params;
  const value = p[paramForTool(call.tool)] ?? p.command ?? p.path ?? p.url ?? '';
  return `${call.tool} ${JSON.stringify(value)}`;
}

function textLine(d: Decision, call: ToolCall): string {
  const by = d.policy === null ? 'default_action' : `${d.policy}#${d.rule}`;
  // A hostile command, tool name or policy message must not drive the terminal.
  return `${printable(`${d.action.padEnd(5)}  ${describeCall(call)}  [${by}] ${d.message}`)}\n`;
}

/** Tracks the exit status of a run: the most severe decision, or 2 after an input error. */
class Outcome {
  private worst = 0;
  inputErrors = 0;
  saw(action: Action): void {
    const s = SEVERITY[action];
    // deny (1) outranks ask (3)
    if (s === 1 || (s === 3 && this.worst === 0)) this.worst = s;
  }
  code(json: boolean): number {
    if (this.inputErrors) return 2;
    return json ? 0 : this.worst;
  }
}

/**
 * stdout with backpressure: waits for 'drain' when the consumer is slower than
 * we are, and notices when it goes away (`check … | head`), so reading stops.
 */
class Stdout {
  closed = false;

  constructor() {
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      this.closed = true;
      process.stdout.emit('drain');
    });
  }

  async write(chunk: string): Promise<void> {
    if (!chunk || this.closed) return;
    if (!process.stdout.write(chunk)) await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
  }
}

async function checkStream(set: PolicySet, defaults: CallDefaults, json: boolean): Promise<number> {
  const outcome = new Outcome();
  const stdout = new Stdout();
  const decoder = new StringDecoder('utf8');
  let out = '';
  let lineNo = 0;
  let pending = '';
  let skipping = false; // inside an over-long line, until its newline

  const reportError = (message: string): void => {
    outcome.inputErrors++;
    if (json) out += `${JSON.stringify({ error: message })}\n`;
    else {
      // stderr is not buffered with stdout: flush first to keep the order on a terminal
      void stdout.write(out);
      out = '';
      process.stderr.write(`rampart-learn check: ${printable(message)}\n`);
    }
  };
  // Synchronous per line; output is flushed (with backpressure) once per input chunk.
  const handle = (line: string): void => {
    lineNo++;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (!line.trim()) return;
    let call: ToolCall;
    try {
      call = requireSubject(toolCallFromJson(JSON.parse(line), defaults));
    } catch (err) {
      const reason = err instanceof SyntaxError ? `invalid JSON: ${err.message}` : (err as Error).message;
      reportError(`line ${lineNo}: ${reason}`);
      return;
    }
    const d = evaluate(set, call);
    outcome.saw(d.action);
    out += json ? `${JSON.stringify(d)}\n` : textLine(d, call);
  };

  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    const text = decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      if (skipping) {
        skipping = false;
        lineNo++;
      } else handle(pending ? pending + text.slice(start, nl) : text.slice(start, nl));
      pending = '';
      start = nl + 1;
    }
    if (!skipping) {
      pending += text.slice(start);
      if (pending.length > MAX_LINE_CHARS) {
        reportError(`line ${lineNo + 1}: longer than ${MAX_LINE_CHARS} characters; skipped`);
        pending = '';
        skipping = true;
      }
    }
    await stdout.write(out);
    out = '';
    if (stdout.closed) break;
  }
  const rest = pending + decoder.end();
  if (!skipping && rest && !stdout.closed) handle(rest);
  await stdout.write(out);
  return outcome.code(json);
}

export const command: CliCommand = {
  name: 'check',
  summary: 'Evaluate tool calls (one, or JSON lines on stdin) against a policy',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        policy: { type: 'string' },
        tool: { type: 'string' },
        agent: { type: 'string' },
        session: { type: 'string' },
        cwd: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length > 1) throw new UserError('check: give at most one VALUE (quote a command with spaces)');
    const set = load(values.policy ?? defaultPolicy());
    const defaults: CallDefaults = { tool: values.tool, agent: values.agent, session: values.session, cwd: values.cwd };
    if (positionals.length === 0) {
      if (process.stdin.isTTY) throw new UserError('check: give a VALUE, or pipe JSON lines on stdin (see --help)');
      return checkStream(set, defaults, values.json);
    }
    const tool = values.tool ?? 'exec';
    const call = toolCallFromJson({ tool, params: { [paramForTool(tool)]: positionals[0] } }, defaults);
    if (missingSubject(call)) throw new UserError(`check: the ${paramForTool(tool)} is empty: give the ${tool} call's ${paramForTool(tool)}`);
    const d = evaluate(set, call);
    process.stdout.write(values.json ? `${JSON.stringify(d)}\n` : textLine(d, call));
    const outcome = new Outcome();
    outcome.saw(d.action);
    return outcome.code(values.json);
  },
};
