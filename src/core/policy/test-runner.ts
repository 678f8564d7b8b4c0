// Runs Rampart-format test cases (inline `tests:` of a policy, or a suite file
// `{policy: <relative path>, tests: [...]}`) against a compiled policy set.
import { dirname, resolve } from 'node:path';
import { compileNameGlob } from './compile';
import { PolicyError, type SourceText } from './diagnostics';
import { evaluate } from './evaluate';
import { loadPolicy, policyFiles, readPolicyFile } from './loader';
import type { Decision } from '../types';
import type { PolicySet, PolicyTestCase, SourcePattern } from './types';

export interface PolicyTestResult {
  case: PolicyTestCase;
  decision: Decision;
  passed: boolean;
  /** Why it failed, e.g. `expected deny, got allow (policy x rule 2)`. */
  failure?: string;
}

export interface PolicyTestReport {
  results: PolicyTestResult[];
  passed: number;
  failed: number;
  /** Cases left out by the `run` filter. */
  skipped: number;
}

export function runPolicyTests(set: PolicySet, cases: PolicyTestCase[], opts: { run?: string } = {}): PolicyTestReport {
  const filter = opts.run === undefined ? undefined : compileNameGlob(opts.run);
  const results: PolicyTestResult[] = [];
  for (const tc of cases) {
    if (filter && !filter(tc.name)) continue;
    const decision = evaluate(set, { tool: tc.tool, params: tc.params, agent: tc.agent, session: tc.session, cwd: tc.cwd });
    const by = decision.policy === null ? 'default_action' : `policy ${decision.policy} rule ${decision.rule}`;
    let failure: string | undefined;
    if (decision.action !== tc.expect) failure = `expected ${tc.expect}, got ${decision.action} (${by})`;
    else if (tc.expectMessage !== undefined && !compileNameGlob(tc.expectMessage)(decision.message)) {
      failure = `message ${JSON.stringify(decision.message)} does not match ${JSON.stringify(tc.expectMessage)} (${by})`;
    }
    results.push(failure ? { case: tc, decision, passed: false, failure } : { case: tc, decision, passed: true });
  }
  const failed = results.filter((r) => !r.passed).length;
  return { results, passed: results.length - failed, failed, skipped: cases.length - results.length };
}

/** The suite's policy; an unreadable one is reported at the suite's `policy:` value. */
function loadSuitePolicy(path: string, ref: SourcePattern, src: SourceText): PolicySet {
  try {
    return loadPolicy(path);
  } catch (err) {
    if (err instanceof PolicyError && err.diagnostics[0]?.code === 'unreadable') {
      const why = err.diagnostics[0].message.replace(/^cannot read policy: /, '');
      throw new PolicyError([src.diagnostic(ref.span.start, ref.span.end, 'error', 'unreadable', `policy ${ref.value} cannot be read (${why})`)]);
    }
    throw err;
  }
}

/**
 * What `rampart-learn test FILE` runs: a suite file's cases against the policy
 * it names (resolved from the suite's directory), or a policy's inline tests.
 */
export function loadTestTarget(file: string): { set: PolicySet; cases: PolicyTestCase[]; policyPath: string } {
  const [first] = policyFiles(file);
  if (first === file) {
    const parsed = readPolicyFile(file);
    if (parsed.diagnostics.some((d) => d.severity === 'error')) throw new PolicyError(parsed.diagnostics);
    const suite = parsed.raw?.suitePolicy;
    if (suite) {
      const policyPath = resolve(dirname(file), suite.value);
      return { set: loadSuitePolicy(policyPath, suite, parsed.src), cases: parsed.raw!.tests, policyPath };
    }
  }
  const set = loadPolicy(file);
  return { set, cases: set.tests, policyPath: file };
}
