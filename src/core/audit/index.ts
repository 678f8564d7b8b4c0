// Hash-chained JSON Lines audit log: writer (redacting, rotating), streaming
// readers and chain verification.
export { GENESIS_HASH, hashRecord, isCompletion, type AuditRecord, type CompletionRecord } from './chain';
export { canonicalJson } from './canonical';
export { AuditFileError, auditFileName, ensurePrivateDir, isRegularFile, listAuditFiles, resolveAuditPaths } from './files';
export { readAuditEvents, readAuditRecords, parseAuditLine, type BadLine, type LocatedRecord, type ReadAuditOptions } from './reader';
export { redactText, redactValue, REDACTED } from './redact';
export { verifyAudit, type VerifyProblem, type VerifyResult } from './verify';
export { AuditWriter, DEFAULT_MAX_FILE_BYTES, type AuditWriterOptions, type NewAuditEvent } from './writer';
