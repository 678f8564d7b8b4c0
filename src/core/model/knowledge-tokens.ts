// Tokens from the project's own security knowledge: the shipped standard
// policy's verdict and the learner's dangerous forms and binary classes. They
// describe what a command does rather than which binary runs it, so they carry
// over to binaries the classifier never saw in training.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { compileCommandGlob } from '../glob/index';
import { binaryGuards, classify, GENERIC_GUARDS, isNeverSuggested, MAX_PROGRAM_NAME } from '../learn/dangerous-forms';
import { evaluate, parsePolicyText, PolicyError, shippedPolicyPath, type PolicySet } from '../policy/index';
import type { CommandComponent } from '../shell/index';

/**
 * The policy whose verdicts are features. Its text is stored in the model file,
 * so a later edit of the shipped policy cannot change a trained model's
 * predictions. (The learner's forms and classes, like the GTFOBins names of
 * gtfobins.ts, are not stored: they are the running version's code.)
 */
export interface FeaturePolicy {
  name: string;
  sha256: string;
  text: string;
}

export function policyDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function shippedFeaturePolicy(): FeaturePolicy {
  const text = readFileSync(shippedPolicyPath('standard'), 'utf8');
  return { name: 'standard', sha256: policyDigest(text), text };
}

const compiled = new Map<string, PolicySet>();

/** Compiles a feature policy once per distinct text. */
export function compileFeaturePolicy(policy: FeaturePolicy): PolicySet {
  let set = compiled.get(policy.sha256);
  if (!set) {
    const parsed = parsePolicyText(policy.text, `<model feature policy ${policy.name}>`);
    if (!parsed.set) throw new PolicyError(parsed.diagnostics);
    compiled.set(policy.sha256, (set = parsed.set));
  }
  return set;
}

/** `policy:deny`, `policy:deny:reverse-shells`, `policy:reverse-shells` (nothing more for an allow by default). */
export function policyTokens(policy: PolicySet, command: string, out: string[]): void {
  const d = evaluate(policy, { tool: 'exec', params: { command } });
  out.push(`policy:${d.action}`);
  if (d.policy) out.push(`policy:${d.action}:${d.policy}`, `policy:${d.policy}`);
}

const genericGuards = GENERIC_GUARDS.map((g) => ({ glob: g, test: compileCommandGlob(g) }));
const binaryGuardCache = new Map<string, ((text: string) => boolean)[]>();

/** The learner's class of the binary, and every dangerous form the component matches. */
export function formTokens(c: CommandComponent, out: string[]): void {
  out.push(`class:${classify(c.binary)}`);
  if (isNeverSuggested(c.binary)) out.push('class:never_suggested');
  for (const g of genericGuards) if (g.test(c.text)) out.push(`form:${g.glob}`);
  if (c.binary.length > MAX_PROGRAM_NAME) return;
  let own = binaryGuardCache.get(c.binary);
  if (!own) {
    // Bounded: binaries come from untrusted command text.
    if (binaryGuardCache.size > 10_000) binaryGuardCache.clear();
    binaryGuardCache.set(c.binary, (own = binaryGuards(c.binary).map(compileCommandGlob)));
  }
  if (own.some((test) => test(c.text))) out.push('form:binary');
}
