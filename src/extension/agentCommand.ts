// The command line typed into an agent terminal, and the name a custom one
// goes by. Pure, so they are unit-tested.
import { basename } from 'node:path';
import { startedArgv } from '../core/agents/program-on-path';
import { shellQuote } from '../core/shell/quote';
import type { AgentSpec } from './settings';

export function agentCommandLine(agent: AgentSpec, prompt: string | undefined): string {
  const p = prompt?.trim();
  if (!p) return agent.command;
  return agent.promptArg ? `${agent.command} ${agent.promptArg} ${shellQuote(p)}` : `${agent.command} ${shellQuote(p)}`;
}

/** Programs that run the script or package named after them: a custom agent is named after that instead. */
const RUNNERS = new Set(['bash', 'sh', 'zsh', 'dash', 'node', 'deno', 'bun', 'python', 'python3', 'ruby', 'perl', 'npx', 'pnpx', 'bunx', 'uvx']);

/**
 * The name of a custom agent command line, for the Sessions view, the status bar and the Reviewer: its
 * program, or the script or package a runner runs (`bash ./agents/fixer.sh` → fixer.sh).
 */
export function customAgentName(commandLine: string): string {
  const argv = startedArgv(commandLine);
  const program = basename(argv[0] ?? '') || commandLine.trim().split(/\s+/)[0]!;
  const target = RUNNERS.has(program) ? argv.slice(1).find((w) => !w.startsWith('-')) : undefined;
  return target ? basename(target) : program;
}
