// Shared by `learn` and `wrap`: start a gate, run the agent with the session
// environment and stdio passed through, and hand back what happened.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { constants } from 'node:os';
import { basename } from 'node:path';
import { PolicyError } from '../core/policy/index';
import { startGate, type Approver, type Gate, type GateStats } from '../core/gate/index';
import type { GateMode } from '../core/types';
import { prepareAuditDir } from './audit-dirs';
import { UserError } from './errors';

export interface GateRunOptions {
  policy: string;
  mode: GateMode;
  auditDir: string;
  agent: string;
  command: string[];
  approver?: Approver;
  /** Called once the gate listens, before the child starts (banners). */
  onReady?: (gate: Gate) => void;
}

export interface GateRunResult {
  /** The child's exit code; 128 + signal number when a signal ended it. */
  exitCode: number;
  durationMs: number;
  /** When the agent was started: the session's calls are recorded at or after it. */
  startedAt: Date;
  stats: GateStats;
  sessionId: string;
}

// Signals a terminal or supervisor sends to stop the agent: passed on so the agent can shut down cleanly.
const FORWARDED = ['SIGTERM', 'SIGHUP'] as const;

/** A command that cannot be started, worded and numbered as a shell would: 127 not found, 126 not runnable. */
function spawnError(cmd: string, err: NodeJS.ErrnoException): Error {
  if (err.code === 'ENOENT') return new UserError(`${cmd}: command not found`, 127);
  if (err.code === 'EACCES') return new UserError(`${cmd}: ${isDirectory(cmd) ? 'is a directory' : 'permission denied'}`, 126);
  return err;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export async function runUnderGate(opts: GateRunOptions): Promise<GateRunResult> {
  prepareAuditDir(opts.auditDir);
  let gate: Gate;
  try {
    gate = await startGate({ policy: opts.policy, mode: opts.mode, auditDir: opts.auditDir, agent: opts.agent, approver: opts.approver });
  } catch (err) {
    if (err instanceof PolicyError) throw new UserError(err.message);
    throw err;
  }
  gate.onPolicyError((err) => process.stderr.write(`rampart: policy reload rejected, the previous policy stays in force: ${err.message}\n`));
  gate.onPolicyReload(() => process.stderr.write('rampart: policy reloaded\n'));
  opts.onReady?.(gate);

  const startedAt = new Date();
  let exitCode: number;
  try {
    exitCode = await new Promise<number>((resolve, reject) => {
      const tty = Boolean(process.stdin.isTTY);
      // Without a terminal the agent gets a process group of its own, so a stop reaches the commands it is
      // running too (a supervisor's SIGTERM would otherwise leave them behind, running).
      const child = spawn(opts.command[0], opts.command.slice(1), { stdio: 'inherit', detached: !tty, env: { ...process.env, ...gate.sessionEnv({ agent: opts.agent }) } });
      const signal = (sig: NodeJS.Signals) => {
        try {
          if (!tty && child.pid) process.kill(-child.pid, sig);
          else child.kill(sig);
        } catch {
          // already gone
        }
      };
      let stops = 0;
      const stop = (sig: NodeJS.Signals) => {
        stops++;
        if (stops === 1) return signal(sig);
        process.stderr.write(`rampart: ${sig} again: killing ${basename(opts.command[0])}\n`);
        signal('SIGKILL');
      };
      // Ctrl+C in a terminal reaches the whole foreground process group, the
      // child included, so it is not sent twice; a SIGINT aimed at us alone
      // (no terminal) is passed on. Either way we stay up to finish the log.
      const onInt = () => {
        if (!tty) stop('SIGINT');
      };
      const forward = (sig: NodeJS.Signals) => () => stop(sig);
      const handlers = FORWARDED.map((sig) => [sig, forward(sig)] as const);
      process.on('SIGINT', onInt);
      for (const [sig, h] of handlers) process.on(sig, h);
      const cleanup = () => {
        process.off('SIGINT', onInt);
        for (const [sig, h] of handlers) process.off(sig, h);
      };
      child.on('error', (err: NodeJS.ErrnoException) => {
        cleanup();
        reject(spawnError(opts.command[0], err));
      });
      child.on('exit', (code, sig) => {
        cleanup();
        // After a stop, what the agent left running in its group goes with it.
        if (stops && !tty && child.pid) signal('SIGTERM');
        resolve(code ?? 128 + (sig ? (constants.signals[sig] ?? 0) : 0));
      });
    });
  } finally {
    await gate.close();
  }
  // Read after close: a call still being decided when the agent exited is counted too.
  return { exitCode, durationMs: Date.now() - startedAt.getTime(), startedAt, stats: { ...gate.stats }, sessionId: gate.sessionId };
}

/** Splits `[options…] -- command args…`; the command is required. */
export function splitAtDashDash(argv: string[], usage: string): { options: string[]; command: string[] } {
  const i = argv.indexOf('--');
  const options = i < 0 ? argv : argv.slice(0, i);
  const command = i < 0 ? [] : argv.slice(i + 1);
  if (!command.length) throw new UserError(`missing the command to run: ${usage}`);
  return { options, command };
}
