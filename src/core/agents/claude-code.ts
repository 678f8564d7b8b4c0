// Claude Code's tool calls (hook payloads and transcript `tool_use` blocks)
// mapped to the ToolCall shape the policy engine evaluates.
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

/** The path a read-like tool touches; tools without one default to the working directory. */
function readPath(toolName: string, input: Record<string, unknown>, cwd: string | undefined): string {
  const fallback = cwd ?? '.';
  switch (toolName) {
    case 'Read':
      return str(input.file_path) ?? str(input.path) ?? fallback;
    case 'NotebookRead':
      return str(input.notebook_path) ?? str(input.file_path) ?? fallback;
    case 'Glob': {
      // The pattern may carry its own directory prefix (`src/**/*.ts`) or be absolute.
      const root = globRoot(str(input.pattern) ?? '');
      return joinPath(str(input.path) ?? '', root) || fallback;
    }
    default: // Grep, LS: `pattern` of Grep is a regex, not a path
      return str(input.path) ?? fallback;
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
  const call = (tool: string, params: ToolParams): ToolCall =>
    cwd === undefined ? { tool, params } : { tool, params, cwd };

  if (toolName === 'Bash') return call('exec', { command: typeof input.command === 'string' ? input.command : '' });
  if (READ_TOOLS.has(toolName)) {
    const params: ToolParams = { path: readPath(toolName, input, cwd) };
    if ((toolName === 'Glob' || toolName === 'Grep') && typeof input.pattern === 'string') params.pattern = input.pattern;
    return call('read', params);
  }
  if (toolName === 'Write') return call('write', { path: str(input.file_path) ?? str(input.path) ?? '' });
  if (EDIT_TOOLS.has(toolName)) {
    return call('edit', { path: str(input.file_path) ?? str(input.notebook_path) ?? str(input.path) ?? '' });
  }
  if (toolName === 'WebFetch') return call('fetch', { url: str(input.url) ?? '' });
  if (toolName === 'WebSearch') {
    const params: ToolParams = { query: typeof input.query === 'string' ? input.query : '' };
    if (Array.isArray(input.allowed_domains)) params.allowed_domains = input.allowed_domains;
    return call('search', params);
  }
  const mcp = parseMcpToolName(toolName);
  if (mcp) return call('mcp', { ...input, server: mcp.server, tool: mcp.tool });
  return call(toolName, { ...input });
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
  call.agent = CLAUDE_CODE_AGENT;
  const session = str(payload.session_id);
  if (session) call.session = session;
  return call;
}
