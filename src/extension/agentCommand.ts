// The command line typed into an agent terminal. Pure, so it is unit-tested.
import type { AgentSpec } from './settings';

/** POSIX single-quoting: the prompt reaches the agent as one argument, byte for byte. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function agentCommandLine(agent: AgentSpec, prompt: string | undefined): string {
  const p = prompt?.trim();
  if (!p) return agent.command;
  return agent.promptArg ? `${agent.command} ${agent.promptArg} ${shellQuote(p)}` : `${agent.command} ${shellQuote(p)}`;
}
