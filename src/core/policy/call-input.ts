// The `check` input shape: one tool call as a JSON object,
// `{"tool":"exec","params":{"command":"…"},"agent"?,"session"?,"cwd"?}`.
import type { ToolCall } from '../types';

export interface CallDefaults {
  tool?: string;
  agent?: string;
  session?: string;
  cwd?: string;
}

/** Validates a parsed JSON value as a tool call; throws an Error naming what is wrong. */
export function toolCallFromJson(value: unknown, defaults: CallDefaults = {}): ToolCall {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object');
  const o = value as Record<string, unknown>;
  const tool = o.tool ?? defaults.tool;
  if (typeof tool !== 'string' || !tool) throw new Error('"tool" must be a non-empty string');
  const params = o.params;
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new Error('"params" must be an object');
  for (const key of ['command', 'path', 'url', 'query'] as const) {
    const v = (params as Record<string, unknown>)[key];
    if (v !== undefined && typeof v !== 'string') throw new Error(`"params.${key}" must be a string`);
  }
  const call: ToolCall = { tool, params: params as ToolCall['params'] };
  for (const key of ['agent', 'session', 'cwd'] as const) {
    const v = o[key] ?? defaults[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw new Error(`"${key}" must be a string`);
    call[key] = v;
  }
  return call;
}

/** The tools whose calls mean nothing without their subject param (a command, a path, a URL). */
const SUBJECT_TOOLS = new Set(['exec', 'read', 'write', 'edit', 'fetch']);

/**
 * The subject param a call of those tools lacks, if it does. A gate must not
 * decide such a call by default_action: a malformed request would then pass
 * for a harmless one.
 */
export function missingSubject(call: ToolCall): string | undefined {
  if (!SUBJECT_TOOLS.has(call.tool)) return undefined;
  const key = paramForTool(call.tool);
  const v = call.params[key];
  return typeof v === 'string' && v !== '' ? undefined : key;
}

/**
 * Throws when the call lacks its subject (an exec call without a command …): such a call would be decided by
 * default_action as if it touched nothing. The gate, the hook and `check` refuse it alike.
 */
export function requireSubject(call: ToolCall): ToolCall {
  const missing = missingSubject(call);
  if (missing) throw new Error(`${call.tool} calls need a "params.${missing}" string`);
  return call;
}

/** The param a bare value fills for each tool: a command for exec, a URL for fetch, … */
export function paramForTool(tool: string): 'command' | 'path' | 'url' | 'query' {
  switch (tool) {
    case 'exec':
      return 'command';
    case 'fetch':
      return 'url';
    case 'search':
      return 'query';
    default:
      return 'path';
  }
}
