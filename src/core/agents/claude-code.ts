// Claude Code's tool calls (hook payloads and transcript `tool_use` blocks)
// mapped to the ToolCall shape the policy engine evaluates.
import { missingSubject } from '../policy/call-input';
import type { ToolCall, ToolParams } from '../types';

export const CLAUDE_CODE_AGENT = 'claude-code';

const READ_TOOLS = new Set(['Read', 'Glob', 'Grep', 'LS', 'NotebookRead']);
const EDIT_TOOLS = new Set(['Edit', 'MultiEdit', 'NotebookEdit']);
const GLOB_CHARS = /[*?[\]{}]/;

/** The literal directory a glob starts from: `src/**\/*.ts` → `src`, `*.md` → ``. */
export function globRoot(pattern: string): string {
  const parts = pattern.split('/');
  const literal: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (GLOB_CHARS.test(part)) break;
    literal.push(part);
  }
  if (literal.length === parts.length - 1 && !GLOB_CHARS.test(parts[parts.length - 1])) return pattern;
  if (literal.length === 1 && literal[0] === '') return '/';
  return literal.join('/');
}

function joinPath(base: string, rel: string): string {
  if (!rel) return base;
  if (!base || rel.startsWith('/') || rel.startsWith('~')) return rel;
  return `${base.replace(/\/+$/, '')}/${rel}`;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * A tool_input field: absent (or empty) is undefined; any other non-string is
 * malformed. A list or a number in place of a path must never read as "no
 * path", which a policy would then judge as a harmless call.
 */
function field(toolName: string, input: Record<string, unknown>, key: string): string | undefined {
  const v = input[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new ClaudeCodePayloadError(`${toolName} "${key}" must be a string, not ${Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`}`);
  return v;
}

/** The first of `keys` the input has. */
function firstField(toolName: string, input: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const v = field(toolName, input, key);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** The path a read-like tool touches; searches without a directory search the working directory. */
function readPath(toolName: string, input: Record<string, unknown>, cwd: string | undefined): string | undefined {
  const here = cwd ?? '.';
  switch (toolName) {
    case 'Read':
      return firstField(toolName, input, 'file_path', 'path');
    case 'NotebookRead':
      return firstField(toolName, input, 'notebook_path', 'file_path');
    case 'Glob': {
      // The pattern may carry its own directory prefix (`src/**/*.ts`) or be absolute.
      const root = globRoot(field(toolName, input, 'pattern') ?? '');
      return joinPath(field(toolName, input, 'path') ?? '', root) || here;
    }
    default: // Grep, LS: `pattern` of Grep is a regex, not a path
      return field(toolName, input, 'path') ?? here;
  }
}

/** Splits `mcp__server__tool`; the server is everything up to the first `__` after the prefix. */
export function parseMcpToolName(toolName: string): { server: string; tool: string } | null {
  if (!toolName.startsWith('mcp__')) return null;
  const rest = toolName.slice(5);
  const sep = rest.indexOf('__');
  if (sep <= 0 || sep + 2 >= rest.length) return null;
  return { server: rest.slice(0, sep), tool: rest.slice(sep + 2) };
}

/**
 * Maps one Claude Code tool invocation to a ToolCall. Bulky inputs (file
 * contents, edit strings) are left out of `params`: policies never match on
 * them and they would bloat the audit log.
 */
export function mapClaudeCodeTool(toolName: string, toolInput: Record<string, unknown>, cwd?: string): ToolCall {
  const input = toolInput ?? {};
  // A missing subject stays missing (the analyzer counts such calls; the hook refuses them).
  const withCwd = (tool: string, params: ToolParams): ToolCall => (cwd === undefined ? { tool, params } : { tool, params, cwd });
  const call = (tool: string, key: string, value: string | undefined, extra: ToolParams = {}): ToolCall =>
    withCwd(tool, value === undefined ? { ...extra } : { [key]: value, ...extra });

  if (toolName === 'Bash') return call('exec', 'command', field(toolName, input, 'command'));
  if (READ_TOOLS.has(toolName)) {
    const pattern = toolName === 'Glob' || toolName === 'Grep' ? field(toolName, input, 'pattern') : undefined;
    return call('read', 'path', readPath(toolName, input, cwd), pattern === undefined ? {} : { pattern });
  }
  if (toolName === 'Write') return call('write', 'path', firstField(toolName, input, 'file_path', 'path'));
  if (EDIT_TOOLS.has(toolName)) return call('edit', 'path', firstField(toolName, input, 'file_path', 'notebook_path', 'path'));
  if (toolName === 'WebFetch') return call('fetch', 'url', field(toolName, input, 'url'));
  if (toolName === 'WebSearch') {
    const extra: ToolParams = Array.isArray(input.allowed_domains) ? { allowed_domains: input.allowed_domains } : {};
    return call('search', 'query', field(toolName, input, 'query'), extra);
  }
  const mcp = parseMcpToolName(toolName);
  if (mcp) return withCwd('mcp', { ...input, server: mcp.server, tool: mcp.tool });
  return withCwd(toolName, { ...input });
}

/** A PreToolUse hook payload as Claude Code sends it on stdin. */
export interface ClaudeCodeHookPayload {
  session_id?: string;
  transcript_path?: string;
  cwd?: string;
  hook_event_name?: string;
  tool_name: string;
  tool_input: Record<string, unknown>;
  [key: string]: unknown;
}

export class ClaudeCodePayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClaudeCodePayloadError';
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `value` has the shape of a tool hook payload (PreToolUse or PostToolUse). */
export function isClaudeCodeHookPayload(value: unknown): value is ClaudeCodeHookPayload {
  return isObject(value) && typeof value.tool_name === 'string' && isObject(value.tool_input);
}

/**
 * Maps a PreToolUse hook payload to a ToolCall (agent `claude-code`, session
 * from `session_id`, cwd from `cwd`). Throws ClaudeCodePayloadError when the
 * payload lacks `tool_name` or `tool_input`.
 */
export function mapClaudeCodeHookPayload(payload: unknown): ToolCall {
  if (!isObject(payload)) throw new ClaudeCodePayloadError('hook payload is not a JSON object');
  if (typeof payload.tool_name !== 'string' || payload.tool_name === '') {
    throw new ClaudeCodePayloadError('hook payload has no "tool_name" string');
  }
  if (payload.tool_input !== undefined && !isObject(payload.tool_input)) {
    throw new ClaudeCodePayloadError('hook payload "tool_input" is not an object');
  }
  const cwd = str(payload.cwd);
  const call = mapClaudeCodeTool(payload.tool_name, (payload.tool_input as Record<string, unknown>) ?? {}, cwd);
  const missing = missingSubject(call);
  if (missing) throw new ClaudeCodePayloadError(`hook payload: ${payload.tool_name} call has no ${missing}`);
  call.agent = CLAUDE_CODE_AGENT;
  const session = str(payload.session_id);
  if (session) call.session = session;
  return call;
}
