// Typed access to the `rampartLearn.*` settings declared in package.json.
import * as vscode from 'vscode';
import type { FailBehaviour } from '../core/gate';

export type AgentMode = 'learn' | 'enforce';

export interface AgentSpec {
  name: string;
  command: string;
  /** Flag placed before the task prompt; the prompt alone is appended when empty. */
  promptArg?: string;
}

export interface Settings {
  policyFiles: string[];
  defaultMode: AgentMode;
  agents: AgentSpec[];
  askBehavior: 'modal' | 'deny';
  /** Enforce mode, gate unreachable: block (`closed`) or run with a warning (`open`). */
  gateFailBehaviour: FailBehaviour;
  telemetry: { maxRows: number; maxAgeDays: number };
  model: { trees: number; maxDepth: number; minLabels: number };
  learnMinFrequency: number;
}

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration('rampartLearn', scope);
  const agents = (c.get<unknown[]>('agents') ?? []).filter(
    (a): a is AgentSpec => !!a && typeof (a as AgentSpec).name === 'string' && typeof (a as AgentSpec).command === 'string',
  );
  return {
    policyFiles: c.get<string[]>('policyFiles') ?? ['rampart.yaml'],
    defaultMode: c.get<AgentMode>('defaultMode') === 'enforce' ? 'enforce' : 'learn',
    agents,
    askBehavior: c.get('ask.behavior') === 'deny' ? 'deny' : 'modal',
    gateFailBehaviour: c.get('gate.failBehaviour') === 'open' ? 'open' : 'closed',
    telemetry: { maxRows: c.get('telemetry.maxRows') ?? 200000, maxAgeDays: c.get('telemetry.maxAgeDays') ?? 90 },
    model: { trees: c.get('model.trees') ?? 100, maxDepth: c.get('model.maxDepth') ?? 10, minLabels: c.get('model.minLabels') ?? 20 },
    learnMinFrequency: c.get('learn.minFrequency') ?? 1,
  };
}
