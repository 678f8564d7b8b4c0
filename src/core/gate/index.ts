// The local gate: decides agent tool calls against the policy, records them in
// the audit log and tells subscribers. See docs/gate.md for the wire protocol.
export { startGate, type Approver, type ApprovalRequest, type Gate, type GateOptions, type GateStats, type GateVerdict } from './server';
export { sessionEnv, shimPaths, ENV, type SessionEnvOptions, type ShimPaths } from './env';
export { PolicySource } from './policy-source';
export { auditEventFor } from './event';
export { gateRequest, checkWithGate, type GateCheckResult, type GateResponse } from './client';
