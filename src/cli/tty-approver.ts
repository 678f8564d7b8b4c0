// The CLI's approver for `ask` decisions in enforce mode: a y/N question on the
// controlling terminal (/dev/tty, so it works while the agent owns stdio).
// Without a terminal every ask is refused, as unanswered. Questions are asked
// one at a time; Ctrl+C at the question answers no.
import { openSync, closeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ReadStream, WriteStream } from 'node:tty';
import type { Approver } from '../core/gate/index';
import { forStream } from './plain-text';

export function ttyApprover(): Approver {
  let queue: Promise<unknown> = Promise.resolve();
  return (req) => {
    const what = String(req.call.params.command ?? req.call.params.path ?? req.call.params.url ?? JSON.stringify(req.call.params));
    const answer = queue.then(() => (req.signal?.aborted ? false : askOnTty(req.call.tool, what, req.decision.message, req.signal)));
    queue = answer.catch(() => false);
    return answer;
  };
}

/** Nobody to ask: what the agent is told. */
const NO_TERMINAL = 'no one to ask: rampart-learn has no terminal; allow or deny the command in the policy';

async function askOnTty(tool: string, what: string, why: string, signal?: AbortSignal): Promise<boolean | { unavailable: string }> {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    return { unavailable: NO_TERMINAL };
  }
  const input = new ReadStream(fd);
  const output = new WriteStream(fd);
  const rl = createInterface({ input, output });
  try {
    const shown = what.length > 500 ? `${what.slice(0, 500)}…` : what;
    const question = forStream(output, `\nrampart: ${why || 'approval required'}\n  ${tool}: ${shown}\nAllow? [y/N] `);
    const reply = await new Promise<string>((resolve) => {
      rl.question(question, resolve);
      // The terminal is in raw mode while reading: Ctrl+C arrives here, not as a signal.
      rl.on('SIGINT', () => {
        output.write('^C (no)\n');
        resolve('');
      });
      rl.on('close', () => resolve(''));
      // The command was cancelled while we asked (its shell is gone): take the question back.
      signal?.addEventListener('abort', () => {
        output.write('\nrampart: question withdrawn: the command was cancelled\n');
        resolve('');
      }, { once: true });
    });
    return /^y(es)?$/i.test(reply.trim());
  } finally {
    rl.close();
    input.destroy();
    try {
      closeSync(fd);
    } catch {
      // the stream already closed it
    }
  }
}
