import type { NewAuditEvent } from '../audit/index';
import type { Approval, Decision, GateMode, ToolCall } from '../types';

/** The audit record of one decided call; shared by the gate and by hooks that decide locally. */
export function auditEventFor(
  call: ToolCall,
  decision: Decision & { approval?: Approval },
  mode: GateMode,
  defaults: { agent: string; session: string },
): NewAuditEvent {
  return {
    agent: call.agent ?? defaults.agent,
    session: call.session ?? defaults.session,
    tool: call.tool,
    cwd: call.cwd,
    request: call.params,
    decision: { ...decision, enforced: mode === 'enforce', mode },
  };
}
