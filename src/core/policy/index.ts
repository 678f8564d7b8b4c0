// The policy engine's public surface (see docs/architecture.md). A PolicySet
// is immutable once loaded: evaluate() caches per-tool indexes keyed on it, so
// build a new set (loadPolicy, layerPolicies) rather than editing one.
export type { PolicyDiagnostic, PolicySet, CompiledPolicy, CompiledRule, PolicyTestCase, CommandPattern, SourcePattern, Span, ConditionKey } from './types';
export { PolicyError, formatDiagnostic } from './diagnostics';
export { loadPolicy, parsePolicyText, layerPolicies, policyFiles, MAX_POLICY_BYTES } from './loader';
export { ACTION_RANK, evaluate, firstMatchingRule, matchedSpellings } from './evaluate';
export { lintPolicyText, lintPolicyPath } from './lint';
export { shippedPolicyPath, type ShippedPolicyName } from './shipped';
export { runPolicyTests, loadTestTarget, type PolicyTestResult, type PolicyTestReport } from './test-runner';
export { isCompoundPattern, compileNameGlob } from './compile';
export { changesDirectory, knownProgramDir, programDirOf } from './prefilter';
export { ACTIONS, CONDITION_KEYS } from './schema';
export { toolCallFromJson, paramForTool, missingSubject, requireSubject, type CallDefaults } from './call-input';
