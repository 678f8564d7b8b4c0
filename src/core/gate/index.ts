// The local gate: decides agent tool calls against the policy, records them in
// the audit log and tells subscribers. One server serves many sessions. See
// docs/gate.md for the wire protocol.
export { startGate, startGateServer, type Gate, type GateOptions, type GateServer, type GateServerOptions, type OpenSessionOptions } from './server';
export { type Approver, type ApprovalRequest, type GateSession, type GateStats, type GateVerdict, type SessionOptions } from './session';
export { SESSION_HEADER } from './http';
export { sessionEnv, shimPaths, ENV, type FailBehaviour, type SessionEnvOptions, type ShimPaths } from './env';
export { PolicySource } from './policy-source';
export { auditEventFor } from './event';
export { evaluateFollowingLinks, linkTarget } from './linked-paths';
export { gateRequest, checkWithGate, type GateCheckResult, type GateRequestOptions, type GateResponse } from './client';
