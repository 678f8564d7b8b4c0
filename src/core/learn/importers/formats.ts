// The input formats `analyze` understands: how to recognise a record of each,
// and how to turn it into ObservedCalls.
import { AUDIT_SCHEMA_VERSION, type Action, type ToolParams } from '../../types';
import { CLAUDE_CODE_AGENT, isClaudeCodeHookPayload, mapClaudeCodeHookPayload, mapClaudeCodeTool } from '../../agents/claude-code';
import type { ObservedCall } from '../types';

export type InputFormat =
  | 'rampart-learn-audit'
  | 'rampart-audit'
  | 'claude-code-transcript'
  | 'claude-code-hook'
  | 'agent-sessions'
  | 'check';

export const FORMAT_LABELS: Record<InputFormat, string> = {
  'rampart-learn-audit': 'rampart-learn audit log',
  'rampart-audit': 'Rampart audit log',
  'claude-code-transcript': 'Claude Code transcript',
  'claude-code-hook': 'Claude Code hook log',
  'agent-sessions': 'agent-sessions JSONL',
  check: 'check JSONL',
};

export const RAMPART_AUDIT_SCHEMA = 'rampart.audit.v1';

/** Keys of which every Claude Code transcript record (message, summary, file snapshot) has at least one. */
const TRANSCRIPT_KEYS = ['sessionId', 'uuid', 'leafUuid', 'messageId'];

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function looksLikeAudit(v: Obj): boolean {
  return typeof v.tool === 'string' && isObject(v.request) && isObject(v.decision);
}

/** Recognises the format of one record, or null. */
export function detectFormat(value: unknown): InputFormat | null {
  if (!isObject(value)) return null;
  if (value.schema_version === AUDIT_SCHEMA_VERSION) return 'rampart-learn-audit';
  if (value.schema_version === RAMPART_AUDIT_SCHEMA) return 'rampart-audit';
  if (isClaudeCodeHookPayload(value)) return 'claude-code-hook';
  if (typeof value.session === 'string' && typeof value.seq === 'number' && typeof value.tool === 'string') {
    return 'agent-sessions';
  }
  if (typeof value.tool === 'string' && isObject(value.params)) return 'check';
  // Older Rampart logs predate schema_version but have its shape.
  if (looksLikeAudit(value) && value.schema_version === undefined) return 'rampart-audit';
  if (typeof value.type === 'string' && TRANSCRIPT_KEYS.some((key) => value[key] !== undefined)) {
    return 'claude-code-transcript';
  }
  return null;
}

/** Rampart's actions onto ours: `log` is `watch`, approvals are `ask`. */
function normaliseAction(value: unknown): Action | undefined {
  switch (value) {
    case 'allow':
    case 'deny':
    case 'ask':
    case 'watch':
      return value;
    case 'log':
      return 'watch';
    case 'require_approval':
    case 'approve':
      return 'ask';
    default:
      return undefined;
  }
}

function fromAudit(value: Obj, what: string): ObservedCall {
  if (typeof value.tool !== 'string' || !value.tool) throw new Error(`${what} has no "tool"`);
  if (!isObject(value.request)) throw new Error(`${what} has no "request" object`);
  const call: ObservedCall = { tool: value.tool, params: value.request as ToolParams };
  const agent = str(value.agent);
  const session = str(value.session);
  const cwd = str(value.cwd);
  const timestamp = str(value.timestamp);
  const action = isObject(value.decision) ? normaliseAction(value.decision.action) : undefined;
  if (agent) call.agent = agent;
  if (session) call.session = session;
  if (cwd) call.cwd = cwd;
  if (timestamp) call.timestamp = timestamp;
  if (action) call.recordedAction = action;
  return call;
}

function fromCheck(value: Obj): ObservedCall {
  if (typeof value.tool !== 'string' || !value.tool) throw new Error('call has no "tool"');
  if (!isObject(value.params)) throw new Error('call has no "params" object');
  const call: ObservedCall = { tool: value.tool, params: value.params as ToolParams };
  for (const key of ['agent', 'session', 'cwd', 'timestamp'] as const) {
    const v = str(value[key]);
    if (v) call[key] = v;
  }
  return call;
}

const SESSION_FIELDS = ['command', 'path', 'url', 'query'] as const;

/** The fields every agent-sessions line has: one without them is a bad line, not a call of an unknown tool. */
function requireSessionFields(value: Obj): void {
  const missing: string[] = ['session', 'agent', 'tool'].filter((key) => str(value[key]) === undefined);
  if (typeof value.seq !== 'number') missing.push('seq');
  if (missing.length) throw new Error(`agent-sessions record has no ${missing.map((k) => `"${k}"`).join(', ')}`);
}

/** agent-sessions lines: `tool` is already normalised except `other`, which keeps the agent's own tool. */
function fromAgentSession(value: Obj): ObservedCall {
  requireSessionFields(value);
  const input = isObject(value.input) ? value.input : {};
  const agent = value.agent as string;
  const rawTool = str(value.raw_tool);
  let call: ObservedCall;
  if (value.tool === 'other') {
    if (!rawTool) throw new Error('"other" call has no "raw_tool"');
    call = agent === CLAUDE_CODE_AGENT ? mapClaudeCodeTool(rawTool, input) : { tool: rawTool, params: { ...input } };
  } else {
    const params: ToolParams = {};
    for (const key of SESSION_FIELDS) {
      if (typeof value[key] === 'string') params[key] = value[key] as string;
    }
    // Some agents' edits carry no normalised path; their input still names the file.
    const fallbackPath = str(input.target_file) ?? str(input.file_path) ?? str(input.path);
    if (!Object.keys(params).length && fallbackPath) params.path = fallbackPath;
    call = { tool: value.tool as string, params };
  }
  call.agent = agent;
  call.session = value.session as string;
  return call;
}

function fromHook(value: unknown): ObservedCall[] {
  // PostToolUse payloads repeat a call already seen at PreToolUse.
  if (isObject(value) && value.hook_event_name !== undefined && value.hook_event_name !== 'PreToolUse') return [];
  const call: ObservedCall = mapClaudeCodeHookPayload(value);
  return [call];
}

/** Assistant `tool_use` blocks of one transcript record (sidechain records included). */
function fromTranscript(value: Obj): ObservedCall[] {
  if (typeof value.type !== 'string') throw new Error('transcript record has no "type"');
  if (value.type !== 'assistant') return [];
  const message = value.message;
  if (!isObject(message)) throw new Error('assistant record has no "message" object');
  if (!Array.isArray(message.content)) return [];
  const calls: ObservedCall[] = [];
  const cwd = str(value.cwd);
  for (const block of message.content) {
    if (!isObject(block) || block.type !== 'tool_use') continue;
    if (typeof block.name !== 'string') throw new Error('tool_use block has no "name"');
    const call: ObservedCall = mapClaudeCodeTool(block.name, isObject(block.input) ? block.input : {}, cwd);
    call.agent = CLAUDE_CODE_AGENT;
    const session = str(value.sessionId);
    const timestamp = str(value.timestamp);
    if (session) call.session = session;
    if (timestamp) call.timestamp = timestamp;
    calls.push(call);
  }
  return calls;
}

/** Maps one record of a file already recognised as `format`; throws with a reason when the record is malformed. */
export function mapRecord(format: InputFormat, value: unknown): ObservedCall[] {
  if (!isObject(value)) throw new Error('record is not a JSON object');
  switch (format) {
    case 'rampart-learn-audit':
      if (value.schema_version !== AUDIT_SCHEMA_VERSION) throw new Error(`schema_version is not "${AUDIT_SCHEMA_VERSION}"`);
      // Completion records only add an exit code to an event already read.
      if (value.type === 'completion') return [];
      return [fromAudit(value, 'audit event')];
    case 'rampart-audit':
      return [fromAudit(value, 'Rampart audit event')];
    case 'check':
      return [fromCheck(value)];
    case 'agent-sessions':
      return [fromAgentSession(value)];
    case 'claude-code-hook':
      return fromHook(value);
    case 'claude-code-transcript':
      return fromTranscript(value);
  }
}
