// The two corpora the shipped policies are judged on: the attack calls in
// test/fixtures/attacks/ (one file per category, `check` input lines) and the
// real agent sessions in ../shared/data/agent-sessions/ (read in place, never
// copied). Shared by test/policies/shipped.test.ts and bench/policy-quality.bench.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Action, ToolCall } from '../../src/core/types';
import { SHARED_DATA } from '../shared-data';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const ATTACK_DIR = join(REPO_ROOT, 'test', 'fixtures', 'attacks');
export const SESSIONS_DIR = join(SHARED_DATA, 'agent-sessions');
export const HOOK_LOGS_DIR = join(SHARED_DATA, 'claude-code', 'hook-logs');

/** The tools whose calls a policy decides; agent-session calls of other tools (search, todo lists …) are left out. */
export const GATED_TOOLS = ['exec', 'read', 'write', 'edit', 'fetch'] as const;

/** One call of a corpus file: `category` is the file name without `.jsonl`. */
export interface CorpusCase {
  category: string;
  /** `file:line` of the case, for reports. */
  where: string;
  /** The JSON line as written, fed verbatim to `check`. */
  line: string;
  call: ToolCall;
}

export function loadAttacks(): CorpusCase[] {
  return loadCallFiles(ATTACK_DIR);
}

/** Every `*.jsonl` of a directory, each line a `check` input call. */
export function loadCallFiles(dir: string): CorpusCase[] {
  const out: CorpusCase[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    const category = basename(file, '.jsonl');
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (!line.trim()) return;
        out.push({ category, where: `${file}:${i + 1}`, line, call: JSON.parse(line) as ToolCall });
      });
  }
  return out;
}

export interface SessionCall {
  /** `session-file:line`, for reports. */
  where: string;
  call: ToolCall;
}

/** Every exec/read/write/edit/fetch call of the real agent sessions, as `check` input. */
export function loadSessionCalls(dir = SESSIONS_DIR): SessionCall[] {
  const out: SessionCall[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (!line.trim()) return;
        const o = JSON.parse(line) as Record<string, unknown>;
        const call = toCall(o);
        if (call) out.push({ where: `${file}:${i + 1}`, call });
      });
  }
  return out;
}

function toCall(o: Record<string, unknown>): ToolCall | undefined {
  const tool = o.tool;
  const agent = typeof o.agent === 'string' ? o.agent : undefined;
  const str = (k: string) => (typeof o[k] === 'string' && o[k] ? (o[k] as string) : undefined);
  if (tool === 'exec' && str('command')) return { tool, params: { command: str('command') }, agent };
  if ((tool === 'read' || tool === 'write' || tool === 'edit') && str('path')) return { tool, params: { path: str('path') }, agent };
  if (tool === 'fetch' && str('url')) return { tool, params: { url: str('url') }, agent };
  return undefined;
}

/** Claude Code tool names as they appear in PreToolUse hook payloads, and the param each carries. */
const HOOK_TOOLS: Record<string, [ToolCall['tool'], 'command' | 'path' | 'url', string]> = {
  Bash: ['exec', 'command', 'command'],
  Read: ['read', 'path', 'file_path'],
  Write: ['write', 'path', 'file_path'],
  Edit: ['edit', 'path', 'file_path'],
  MultiEdit: ['edit', 'path', 'file_path'],
  NotebookEdit: ['edit', 'path', 'notebook_path'],
  WebFetch: ['fetch', 'url', 'url'],
};

/** Every gated call of the real Claude Code PreToolUse hook logs (JSON arrays of payloads). */
export function loadHookLogCalls(dir = HOOK_LOGS_DIR): SessionCall[] {
  const out: SessionCall[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const events = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { tool_name?: string; tool_input?: Record<string, unknown>; cwd?: string }[];
    events.forEach((e, i) => {
      const spec = HOOK_TOOLS[e.tool_name ?? ''];
      const value = spec && e.tool_input?.[spec[2]];
      if (!spec || typeof value !== 'string' || !value) return;
      out.push({ where: `${file}[${i}]`, call: { tool: spec[0], params: { [spec[1]]: value }, agent: 'claude-code' } });
    });
  }
  return out;
}

/** What a decision means for the two measures: an attack is caught, a routine call is friction. */
export function stops(action: Action): boolean {
  return action === 'deny' || action === 'ask';
}

/** One-line description of a call for reports (long commands cut). */
export function describeCall(call: ToolCall, max = 140): string {
  const p = call.params;
  const v = String(p.command ?? p.path ?? p.url ?? '').replace(/\s+/g, ' ');
  return `${call.tool}: ${v.length > max ? `${v.slice(0, max)}…` : v}`;
}
