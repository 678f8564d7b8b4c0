// Types shared by every layer: a tool call as an agent makes it, the policy's
// decision on it, and the audit event that records both. Nothing here imports
// `vscode`, so the CLI, the extension and the webview can all depend on it.

/** The tools Rampart policies know. Others (e.g. MCP tool names) pass through as strings. */
export type KnownTool = 'exec' | 'read' | 'write' | 'edit' | 'fetch' | 'search' | 'mcp';
export type ToolName = KnownTool | (string & {});

/** Actions a decision can carry. `log` is accepted in policy files but normalised to `watch`. */
export type Action = 'allow' | 'deny' | 'ask' | 'watch';

export interface ToolParams {
  command?: string;
  path?: string;
  url?: string;
  query?: string;
  [key: string]: unknown;
}

/** One call as evaluated by the policy engine (the `check` input shape). */
export interface ToolCall {
  tool: ToolName;
  params: ToolParams;
  agent?: string;
  session?: string;
  /** Working directory of the call; relative paths resolve against it. */
  cwd?: string;
}

export interface Decision {
  action: Action;
  /** Name of the deciding policy, or null when `default_action` applied. */
  policy: string | null;
  /** Index of the deciding rule inside its policy, or null. */
  rule: number | null;
  message: string;
  /** Evaluation time in microseconds. */
  eval_us: number;
}

export type GateMode = 'monitor' | 'enforce';

/** The answer to an `ask` in enforce mode; `none`: no approver was attached (the call is refused). */
export type Approval = 'approved' | 'refused' | 'none';

export const AUDIT_SCHEMA_VERSION = 'rampart-learn.audit.v1';

/** One line of the audit log (JSON Lines). */
export interface AuditEvent {
  schema_version: string;
  /** Sortable unique id (ULID). */
  id: string;
  /** ISO-8601 timestamp. */
  timestamp: string;
  agent: string;
  session: string;
  tool: ToolName;
  cwd?: string;
  request: ToolParams;
  /** `approval`: set on `ask` decisions in enforce mode, so the log tells an approved call from a refused one. */
  decision: Decision & { enforced: boolean; mode: GateMode; approval?: Approval };
  /** `signal`: the name (TERM, KILL) when the command died of one; `exit_code` is then 128 + its number. */
  response?: { exit_code?: number; duration_ms?: number; signal?: string };
  prev_hash: string;
  hash: string;
}
