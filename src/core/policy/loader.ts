// Reading policy files and directories into a compiled PolicySet.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readTextFile, TextFileError } from '../text-file';
import { fsReason } from '../fs-reason';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Action } from '../types';
import { byPriority, compilePolicy, GlobErrors } from './compile';
import { PolicyError, SourceText } from './diagnostics';
import { readPolicyDocument, type RawPolicyFile } from './schema';
import type { CompiledPolicy, PolicyDiagnostic, PolicySet, PolicyTestCase, Span } from './types';

export const MAX_POLICY_BYTES = 1024 * 1024;

export interface ParsedPolicyFile {
  raw?: RawPolicyFile;
  diagnostics: PolicyDiagnostic[];
  src: SourceText;
}

/**
 * Where an unterminated quoted value opened. The parser reports it where the
 * text ends, often many lines below the typo; the value holds no closing quote,
 * so its opener is the last quote before `end` that is not escaped (`\"` in
 * double quotes, `''` in single quotes).
 */
function openingQuote(text: string, end: number, quote: string): number | undefined {
  for (let i = Math.min(end, text.length) - 1; i >= 0; i--) {
    if (text[i] !== quote) continue;
    if (quote === "'" && text[i - 1] === "'") {
      i--; // a pair: one escaped quote
      continue;
    }
    let slashes = 0;
    while (quote === '"' && text[i - 1 - slashes] === '\\') slashes++;
    if (slashes % 2 === 0) return i;
  }
  return undefined;
}

/** Parses and schema-checks one file's text (no compilation). */
export function readPolicyText(text: string, file: string): ParsedPolicyFile {
  const src = new SourceText(file, text);
  const size = Buffer.byteLength(text, 'utf8');
  if (size > MAX_POLICY_BYTES) {
    return { src, diagnostics: [src.diagnostic(0, 0, 'error', 'too-large', `policy file is ${size} bytes; the limit is 1 MiB`)] };
  }
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [];
  if (list.length > 1) {
    const r = list[1]!.range;
    return { src, diagnostics: [src.diagnostic(r[0], r[0], 'error', 'multiple-documents', 'a policy file must hold exactly one YAML document')] };
  }
  const doc = list[0];
  if (!doc) return { src, raw: { policies: [], tests: [] }, diagnostics: [] };
  const diagnostics: PolicyDiagnostic[] = [];
  for (const e of doc.errors) {
    const code = e.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax';
    // The parser reports running out of stack (thousands of nested brackets) in V8's words.
    const message = e.code === 'RESOURCE_EXHAUSTION' ? 'the YAML is nested too deeply to read' : e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const quote = e.code === 'MISSING_CHAR' ? /closing (["'])quote/.exec(message)?.[1] : undefined;
    const opened = quote ? openingQuote(text, e.pos[0], quote) : undefined;
    if (opened === undefined) diagnostics.push(src.diagnostic(e.pos[0], e.pos[1], 'error', code, message));
    else diagnostics.push(src.diagnostic(opened, opened + 1, 'error', code, `${message}: the value quoted here never ends`));
  }
  for (const w of doc.warnings) diagnostics.push(src.diagnostic(w.pos[0], w.pos[1], 'warning', 'yaml-warning', w.message.split('\n')[0]!));
  if (diagnostics.some((d) => d.severity === 'error')) return { src, diagnostics };
  const { file: raw, diagnostics: schema } = readPolicyDocument(doc, src);
  return { src, raw, diagnostics: diagnostics.concat(schema) };
}

/** Compiles the policies of several parsed files, in order, into one set. */
export function assemble(files: ParsedPolicyFile[], names: string[]): { set?: PolicySet; diagnostics: PolicyDiagnostic[] } {
  const diagnostics = files.flatMap((f) => f.diagnostics);
  const policies: CompiledPolicy[] = [];
  const tests: PolicyTestCase[] = [];
  const seen = new Map<string, Span>();
  let defaultAction: { action: Action; span: Span } | undefined;
  for (const f of files) {
    if (!f.raw) continue;
    const g = new GlobErrors(f.src);
    defaultAction ??= f.raw.defaultAction;
    for (const raw of f.raw.policies) {
      const prev = seen.get(raw.name);
      if (prev) {
        diagnostics.push(
          f.src.diagnostic(raw.nameSpan.start, raw.nameSpan.end, 'error', 'duplicate-policy', `duplicate policy name "${raw.name}" (first defined in ${prev.file})`),
        );
        continue;
      }
      seen.set(raw.name, raw.nameSpan);
      policies.push(compilePolicy(raw, policies.length, g));
    }
    tests.push(...f.raw.tests);
    diagnostics.push(...g.diagnostics);
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const set: PolicySet = {
    files: names,
    defaultAction: defaultAction?.action ?? 'deny',
    policies: policies.sort(byPriority),
    tests,
  };
  if (defaultAction) set.defaultActionSpan = defaultAction.span;
  return { set, diagnostics };
}

/** Parses one policy file's text; `set` is present when there are no errors. */
export function parsePolicyText(text: string, file: string): { set?: PolicySet; diagnostics: PolicyDiagnostic[] } {
  return assemble([readPolicyText(text, file)], [file]);
}

function unreadable(file: string, message: string): PolicyError {
  return new PolicyError([new SourceText(file, '').diagnostic(0, 0, 'error', 'unreadable', message)]);
}

/**
 * Reads a policy file: a regular file of at most 1 MiB of UTF-8. Anything
 * else is one located error (invalid bytes at their line and column).
 */
export function readPolicyFile(file: string): ParsedPolicyFile {
  let text: string;
  try {
    text = readTextFile(file, MAX_POLICY_BYTES);
  } catch (err) {
    if (!(err instanceof TextFileError)) throw err;
    if (err.problem === 'encoding') throw new PolicyError([new SourceText(file, err.text!).diagnostic(err.offset!, err.offset! + 1, 'error', 'encoding', err.message)]);
    throw unreadable(file, err.problem === 'too-large' ? `policy file ${err.message}` : `cannot read policy: ${err.message}`);
  }
  return readPolicyText(text, file);
}

/** The policy files a path names: itself, or every `*.yaml` and `*.yml` of a directory in name order (as Rampart loads a directory). */
export function policyFiles(fileOrDir: string): string[] {
  let isDir: boolean;
  try {
    isDir = statSync(fileOrDir).isDirectory();
  } catch (err) {
    throw unreadable(fileOrDir, `cannot read policy: ${fsReason(err)}`);
  }
  if (!isDir) return [fileOrDir];
  const names = readdirSync(fileOrDir)
    .filter((n) => /\.ya?ml$/.test(n) && statSync(join(fileOrDir, n), { throwIfNoEntry: false })?.isFile())
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (!names.length) throw unreadable(fileOrDir, 'policy directory holds no *.yaml or *.yml file');
  return names.map((n) => join(fileOrDir, n));
}

/** Loads a policy file or directory; throws PolicyError with every error found. */
export function loadPolicy(fileOrDir: string): PolicySet {
  const files = policyFiles(fileOrDir);
  const { set, diagnostics } = assemble(files.map(readPolicyFile), files);
  if (!set) throw new PolicyError(diagnostics);
  return set;
}

/** The base set with the overlay's policies and tests added. */
export function layerPolicies(base: PolicySet, overlay: PolicySet): PolicySet {
  const names = new Set(base.policies.map((p) => p.name));
  const dup = overlay.policies.find((p) => names.has(p.name));
  if (dup) {
    const text = safeRead(dup.file);
    throw new PolicyError([
      new SourceText(dup.file, text).diagnostic(dup.nameSpan.start, dup.nameSpan.end, 'error', 'duplicate-policy', `policy "${dup.name}" is already defined by the base policy`),
    ]);
  }
  const offset = base.policies.length;
  const added = overlay.policies.map((p) => ({ ...p, order: p.order + offset }));
  // As in a directory: the first of the two that sets default_action wins.
  const def = base.defaultActionSpan || !overlay.defaultActionSpan ? base : overlay;
  return {
    files: [...base.files, ...overlay.files],
    defaultAction: def.defaultAction,
    defaultActionSpan: def.defaultActionSpan,
    policies: [...base.policies, ...added].sort(byPriority),
    tests: [...base.tests, ...overlay.tests],
  };
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
