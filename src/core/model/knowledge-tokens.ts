// Tokens from the project's own security knowledge: the shipped standard
// policy's verdict and the learner's dangerous forms and binary classes. They
// describe what a command does rather than which binary runs it, so they carry
// over to binaries the classifier never saw in training.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { compileCommandGlob } from '../glob/index';
import { binaryGuards, classify, escapeGlob, GENERIC_GUARDS, isNeverSuggested, MAX_PROGRAM_NAME } from '../learn/dangerous-forms';
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

/**
 * A binary's dangerous forms are its name followed by one of a few thousand
 * tails (`$0 *--pre*`), the same for every binary of a kind. The tails are
 * compiled once and shared, so a binary costs an array of references rather
 * than its own few hundred compiled globs (about 280 KB for an unknown tool).
 */
const compiledTails = new Map<string, (text: string) => boolean>();
interface BinaryForms {
  /** Tests of the part after the binary's name. */
  tails: ((rest: string) => boolean)[];
  /** Forms that do not start with the plain name (a name with glob characters): whole globs. */
  whole: ((text: string) => boolean)[];
}
const binaryFormCache = new Map<string, BinaryForms>();

function binaryForms(binary: string): BinaryForms {
  const forms: BinaryForms = { tails: [], whole: [] };
  const plain = escapeGlob(binary) === binary;
  for (const glob of binaryGuards(binary)) {
    if (!plain || !glob.startsWith(binary)) {
      forms.whole.push(compileCommandGlob(glob));
      continue;
    }
    const tail = glob.slice(binary.length);
    let test = compiledTails.get(tail);
    if (!test) compiledTails.set(tail, (test = compileCommandGlob(tail)));
    forms.tails.push(test);
  }
  return forms;
}

/** The learner's class of the binary, and every dangerous form the component matches. */
export function formTokens(c: CommandComponent, out: string[]): void {
  out.push(`class:${classify(c.binary)}`);
  if (isNeverSuggested(c.binary)) out.push('class:never_suggested');
  for (const g of genericGuards) if (g.test(c.text)) out.push(`form:${g.glob}`);
  if (c.binary.length > MAX_PROGRAM_NAME) return;
  let own = binaryFormCache.get(c.binary);
  if (!own) {
    // Bounded: binaries come from untrusted command text.
    if (binaryFormCache.size > 10_000) binaryFormCache.clear();
    binaryFormCache.set(c.binary, (own = binaryForms(c.binary)));
  }
  const rest = c.text.startsWith(c.binary) ? c.text.slice(c.binary.length) : undefined;
  if ((rest !== undefined && own.tails.some((test) => test(rest))) || own.whole.some((test) => test(c.text))) out.push('form:binary');
}
