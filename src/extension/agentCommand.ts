// The command line typed into an agent terminal. Pure, so it is unit-tested.
import { shellQuote } from '../core/shell/quote';
import type { AgentSpec } from './settings';

export function agentCommandLine(agent: AgentSpec, prompt: string | undefined): string {
  const p = prompt?.trim();
  if (!p) return agent.command;
  return agent.promptArg ? `${agent.command} ${agent.promptArg} ${shellQuote(p)}` : `${agent.command} ${shellQuote(p)}`;
}
