// Merges a learned fragment's policies into an existing policy file by
// inserting text at precise offsets found through the yaml AST: the rest of
// the file (comments, order, quoting, blank lines) is left byte for byte.
// Policies missing from the file are appended under `policies:`; a policy
// that already exists (e.g. `learned-exec` from an earlier session) only
// gains the patterns it lacks, in the rule with the same guards. Applying the
// same fragment twice therefore changes nothing the second time.
import { createTwoFilesPatch } from 'diff';
import { Document, isMap, isScalar, isSeq, parseDocument, Scalar, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { compileCommandGlob, leadingLiteral, prefixesAgree, wildcardCovers } from '../glob/index';
import { oneLine } from '../printable';
import { buildFragment, commentExamples, fragmentNotes, labelGuards, renderYaml, type FragmentMeta } from './format-yaml';
import type { PatternEntry, Suggestions } from './types';

/** A change to the policy text, in the shape an editor's WorkspaceEdit wants. */
export interface TextEdit {
  /** 0-based character offset into the original text. */
  offset: number;
  length: number;
  newText: string;
}

export interface MergeOptions {
  /** Only these patterns of the fragment are applied (exact pattern strings). */
  select?: string[];
  /** Names used in error messages and the diff header. */
  file?: string;
  fragmentFile?: string;
  /** Also add the fragment's inline `tests:` the file lacks (merging into another fragment, not into a policy). */
  tests?: boolean;
}

export interface MergeResult {
  text: string;
  /** Patterns added, as `policy: pattern` (guards merged into a rule are in the diff, not here). */
  added: string[];
  /** Guards of the fragment left out because a pattern already in the rule allows all they refuse (see `sparedGuards`). */
  spared: string[];
  /** Patterns of the fragment whose observed calls a guard already in the rule refuses, as `pattern: why` (kept: see `refusedByRule`). */
  blocked: string[];
  /** Unified diff of the change (empty when nothing was added). */
  diff: string;
}

/** Bad input to the merge; `message` starts with `file:line:col` when there is a location. */
export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}

/** A fragment as YAML text, a parsed document, or Suggestions (rendered through the formatter first). */
export type FragmentInput = string | Document | Suggestions;

const PATTERN_KEYS = ['command_matches', 'path_matches', 'domain_matches', 'url_matches'];

function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${line}:${offset - before.lastIndexOf('\n')}`;
}

function parseStrict(text: string, file: string): Document {
  const doc = parseDocument(text, { keepSourceTokens: false });
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0];
    throw new MergeError(`${file}:${pos ? `${pos.line}:${pos.col}` : '1:1'}: invalid YAML: ${err.message.split('\n')[0]}`);
  }
  return doc;
}

/**
 * The target policy, parsed once for a run of merges into the same text: the
 * Problems panel asks, after each edit, which of a dozen suggestions a merge
 * would still change, and on a policy of thousands of guard lines each parse
 * cost about as much as the rest of the merge. The document is only read
 * (edits are planned on the text), so reusing it is safe.
 */
let lastTarget: { text: string; doc: Document } | undefined;
function parseTarget(text: string, file: string): Document {
  // `file` only names the text in a parse error, which is thrown, not kept.
  if (lastTarget?.text !== text) lastTarget = { text, doc: parseStrict(text, file) };
  return lastTarget.doc;
}

function fragmentDocument(fragment: FragmentInput, file: string, select?: string[]): Document {
  if (typeof fragment === 'string') return parseStrict(fragment, file);
  if (fragment instanceof Document) return fragment.clone();
  // From Suggestions, a selection keeps only the chosen entries' own guards.
  const chosen = select ? new Set(select) : undefined;
  const keep = (entries: PatternEntry[]) => (chosen ? entries.filter((e) => chosen.has(e.pattern)) : entries);
  const pruned = { ...fragment, exec: keep(fragment.exec), read: keep(fragment.read), write: keep(fragment.write), fetch: keep(fragment.fetch) };
  const meta: FragmentMeta = { generatedBy: 'rampart-learn', generatedAt: new Date(0), durationMs: 0, toolCalls: 0 };
  return buildFragment(pruned, meta);
}

function pairOf(map: YAMLMap, key: string): Pair<Node, Node | null> | undefined {
  return (map.items as Pair<Node, Node | null>[]).find((p) => isScalar(p.key) && p.key.value === key);
}

function str(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/** String values of a scalar-or-list node. */
function strings(node: Node | null | undefined): string[] {
  if (isSeq(node)) return node.items.map(str).filter((v): v is string => v !== undefined);
  const v = str(node);
  return v === undefined ? [] : [v];
}

/** The fragment's policies, pruned to the selected patterns; `source` is the text `doc` was parsed from, for locations. */
function incomingPolicies(doc: Document, opts: MergeOptions, file: string, source = String(doc)): YAMLMap[] {
  const root = doc.contents;
  const list = isMap(root) ? root.get('policies', true) : isSeq(root) ? root : undefined;
  if (!isSeq(list)) throw new MergeError(`${file}:1:1: the fragment has no "policies:" list`);
  const wanted = opts.select ? new Set(opts.select) : undefined;
  const seen = new Set<string>();
  const out: YAMLMap[] = [];
  for (const policy of list.items) {
    if (!isMap(policy) || !str(policy.get('name', true))) {
      const at = (policy as Node | null)?.range?.[0] ?? 0;
      throw new MergeError(`${file}:${lineCol(source, at)}: each policy of the fragment needs a name`);
    }
    const rules = policy.get('rules', true);
    if (wanted && isSeq(rules)) {
      for (const rule of rules.items) {
        const when = isMap(rule) ? rule.get('when', true) : undefined;
        if (!isMap(when)) continue;
        for (const key of PATTERN_KEYS) {
          const seq = when.get(key, true);
          if (isSeq(seq)) {
            seq.items = seq.items.filter((item) => wanted.has(str(item) ?? ''));
            for (const item of seq.items) seen.add(str(item)!);
          } else if (str(seq) !== undefined) {
            if (wanted.has(str(seq)!)) seen.add(str(seq)!);
            else when.delete(key);
          }
        }
        dropUnreachableGuards(when);
      }
      rules.items = rules.items.filter((rule) => patternCount(rule as Node) > 0);
      if (!rules.items.length) continue;
    }
    // Learned rules allow what matches their patterns; one without any would allow every call in its scope.
    for (const rule of isSeq(rules) ? rules.items : []) {
      if (isAllowRule(rule) && patternCount(rule) === 0) {
        throw new MergeError(`${file}:${lineCol(source, (rule as Node).range?.[0] ?? 0)}: an allow rule without patterns would allow every call of its policy; a fragment adds allow rules for patterns only`);
      }
    }
    out.push(policy);
  }
  if (wanted) {
    const missing = [...wanted].filter((p) => !seen.has(p));
    if (missing.length) throw new MergeError(`${file}: pattern ${JSON.stringify(missing[0])} is not in the fragment`);
  }
  return out;
}

/**
 * The texts a command granted by `pattern` starts with, one of which is enough: its first word as
 * written, and without the directory (a pattern naming its program by a path, `./build.sh *`, is
 * matched on the component's text, which starts with the program's name).
 */
function grantedStarts(pattern: string): string[] {
  const lead = leadingLiteral(pattern);
  const space = lead.indexOf(' ');
  const word = space < 0 ? lead : lead.slice(0, space + 1);
  return [word, word.slice(word.lastIndexOf('/', space < 0 ? undefined : space) + 1)];
}

/**
 * Drops the command guards that no pattern left in the rule can meet, so that `--select 'git *'`
 * does not bring the fragment's guards of python or docker along. A guard and a pattern are tried on
 * the same string (a component's text, plus a redirection for the guard), so a guard whose leading
 * literal disagrees with every pattern's first word never refuses anything the rule grants.
 */
function dropUnreachableGuards(when: YAMLMap): void {
  const pair = pairOf(when, 'command_not_matches');
  const starts = strings(when.get('command_matches', true) as Node).flatMap(grantedStarts);
  if (!pair || !isSeq(pair.value) || !starts.length) return;
  const guards = pair.value;
  const before = guards.items.length;
  guards.items = guards.items.filter((g) => {
    const text = str(g);
    if (text === undefined) return true;
    const lead = leadingLiteral(text);
    return starts.some((start) => prefixesAgree(lead, start));
  });
  if (guards.items.length === before) return;
  // The first guard's note was read as the list's own; labelGuards writes the new first guard's.
  guards.commentBefore = undefined;
  labelGuards(pair as Pair<Scalar<string>, YAMLSeq<Scalar<string>>>, 'exec');
}

/** The names of the policies a fragment holds (fragment-policies.ts): the only ones merged into existing policies. */
const LEARNED_PREFIX = 'learned-';

const isAllowRule = (rule: unknown): rule is YAMLMap => isMap(rule) && str(rule.get('action', true)) === 'allow';

function patternCount(rule: Node): number {
  const when = isMap(rule) ? rule.get('when', true) : undefined;
  if (!isMap(when)) return 0;
  return PATTERN_KEYS.reduce((n, key) => n + strings(when.get(key, true) as Node).length, 0);
}

const isGuardKey = (key: string) => key.endsWith('_not_matches');

/** The patterns (not the guards) of a policy's rules. */
function allPatterns(policy: YAMLMap): string[] {
  const rules = policy.get('rules', true);
  if (!isSeq(rules)) return [];
  return rules.items.flatMap((rule) => {
    const when = isMap(rule) ? rule.get('when', true) : undefined;
    return isMap(when) ? PATTERN_KEYS.flatMap((k) => strings(when.get(k, true) as Node)) : [];
  });
}

/**
 * Every pattern the rules of a policy text's `learned-*` policies spell out,
 * as the merge compares them (quotes and escapes resolved; guards left out). A
 * pattern that is not among them is one a merge would add, so a caller asking
 * which of many suggestions are still pending needs a merge only for these.
 * The text is parsed as the merges that follow parse it, once for all of them;
 * text the merge cannot parse gives none.
 */
export function learnedRulePatterns(policyText: string): Set<string> {
  let root: unknown;
  try {
    root = parseTarget(policyText, 'policy').contents;
  } catch (err) {
    if (err instanceof MergeError) return new Set();
    throw err;
  }
  const policies = isMap(root) ? root.get('policies', true) : undefined;
  const learned = (isSeq(policies) ? policies.items : []).filter((p): p is YAMLMap => isMap(p) && !!str(p.get('name', true))?.startsWith(LEARNED_PREFIX));
  return new Set(learned.flatMap(allPatterns));
}

/**
 * What identifies a rule apart from its patterns and guards: action, pattern
 * key and any other condition. Guards (`*_not_matches`) are merged rather than
 * compared: adding one only narrows the rule, and one rule per learned policy
 * is what lets a compound command match with every part learned.
 */
function ruleShape(rule: YAMLMap): { key: string; guardKeys: string[]; id: string } | undefined {
  const when = rule.get('when', true);
  if (!isMap(when)) return undefined;
  const keys = (when.items as Pair<Node, Node | null>[]).map((p) => str(p.key) ?? '');
  const key = PATTERN_KEYS.find((k) => keys.includes(k));
  if (!key) return undefined;
  const rest = keys
    .filter((k) => k !== key && !isGuardKey(k))
    .sort()
    .map((k) => [k, strings(when.get(k, true) as Node).sort()]);
  return { key, guardKeys: keys.filter(isGuardKey), id: JSON.stringify([str(rule.get('action', true)), key, rest]) };
}

/** Renders a node as block YAML lines (comments kept), without the trailing newline. */
function renderLines(node: Node): string[] {
  const doc = new Document();
  doc.contents = node;
  return renderYaml(doc).replace(/\n$/, '').split('\n');
}

/** A scalar as it would appear inside a flow collection (its comments dropped: a flow collection has no room for them). */
function flowScalar(node: Scalar): string {
  const bare = node.clone() as Scalar;
  bare.comment = undefined;
  bare.commentBefore = undefined;
  return renderLines(bare)[0]!;
}

/** Block sequence items at `dashCol`; a node's own leading comment goes above its dash. */
function blockItems(nodes: Node[], dashCol: number): string {
  const pad = ' '.repeat(dashCol);
  return nodes
    .map((original) => {
      const node = original.clone() as Node;
      const before = node.commentBefore ? node.commentBefore.split('\n').map((l) => `${pad}#${l}`) : [];
      node.commentBefore = undefined;
      node.spaceBefore = false;
      const body = renderLines(node).map((line, i) => (i === 0 ? `${pad}- ${line}` : line ? `${pad}  ${line}` : ''));
      return [...before, ...body].join('\n');
    })
    .join('\n');
}

/** Builds the edits for one merge over the original text. */
class EditPlan {
  readonly edits: TextEdit[] = [];

  constructor(
    readonly text: string,
    readonly file: string,
  ) {}

  private lineStart(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  /** Offset just past the line break that ends the line holding `offset - 1` (or the end of the text). */
  private afterLine(end: number): { offset: number; needsBreak: boolean } {
    if (end > 0 && this.text[end - 1] === '\n') return { offset: end, needsBreak: false };
    const nl = this.text.indexOf('\n', end);
    return nl === -1 ? { offset: this.text.length, needsBreak: true } : { offset: nl + 1, needsBreak: false };
  }

  private column(offset: number): number {
    return offset - this.lineStart(offset);
  }

  /** Column of the `-` that introduces a block sequence item. */
  private dashColumn(item: Node): number | undefined {
    const start = item.range![0];
    const m = /^(\s*)-\s+$/.exec(this.text.slice(this.lineStart(start), start));
    return m ? m[1].length : undefined;
  }

  /** Just after the last item of a flow collection: before the spaces that precede its closing bracket. */
  private beforeClose(bracket: string, node: Node): number {
    let at = this.text.lastIndexOf(bracket, node.range![1] - 1);
    while (/\s/.test(this.text[at - 1] ?? '')) at--;
    return at;
  }

  private insert(offset: number, newText: string): void {
    this.edits.push({ offset, length: 0, newText });
  }

  private where(node: Node | null | undefined): string {
    return `${this.file}:${lineCol(this.text, node?.range?.[0] ?? 0)}`;
  }

  /** Appends block items to `map[key]`, whatever form the value has now (absent, empty, block or flow list, scalar). */
  appendItems(map: YAMLMap, key: string, nodes: Node[]): void {
    if (!nodes.length) return;
    const pair = pairOf(map, key);
    const keyCol = this.column((pair?.key ?? map).range![0]);
    const value = pair?.value ?? null;
    if (!pair && map.flow) {
      if (!nodes.every(isScalar)) throw new MergeError(`${this.where(map)}: a flow mapping {...} cannot take "${key}"; write it as a block mapping`);
      this.insert(this.beforeClose('}', map), `, ${key}: [${nodes.map((n) => flowScalar(n as Scalar)).join(', ')}]`);
      return;
    }
    if (!pair) {
      // Add the key after the map's last line, at the map's key column.
      const at = this.afterLine(map.range![1]);
      const pad = ' '.repeat(this.column(map.range![0]));
      this.insert(at.offset, `${at.needsBreak ? '\n' : ''}${pad}${key}:\n${blockItems(nodes, keyCol + 2)}\n`);
      return;
    }
    if (isSeq(value) && !value.flow && value.items.length) {
      const last = value.items[value.items.length - 1] as Node;
      const dash = this.dashColumn(value.items[0] as Node) ?? keyCol + 2;
      const at = this.afterLine((last.range ?? value.range)![2]);
      this.insert(at.offset, `${at.needsBreak ? '\n' : ''}${blockItems(nodes, dash)}\n`);
      return;
    }
    if (isSeq(value) && value.flow && value.items.length) {
      if (!nodes.every(isScalar)) throw new MergeError(`${this.where(value)}: "${key}" is a flow list [...]; write it as a block list to merge into it`);
      this.insert(this.beforeClose(']', value), `, ${nodes.map((n) => flowScalar(n as Scalar)).join(', ')}`);
      return;
    }
    if (isScalar(value) && value.value !== null && value.value !== undefined) {
      if (!nodes.every(isScalar)) throw new MergeError(`${this.where(value)}: "${key}" must be a list`);
      // A single pattern written as a scalar becomes a block list holding it and the new ones.
      const original = this.text.slice(value.range![0], value.range![1]);
      const pad = ' '.repeat(keyCol + 2);
      const added = blockItems(nodes, keyCol + 2);
      this.edits.push({ offset: value.range![0], length: value.range![1] - value.range![0], newText: `\n${pad}- ${original}\n${added}` });
      return;
    }
    // Empty: `key:`, `key: ~`, `key: []`.
    const block = `\n${blockItems(nodes, keyCol + 2)}`;
    if (value?.range && value.range[1] > value.range[0]) {
      let start = value.range[0];
      while (this.text[start - 1] === ' ') start--; // no trailing space left after `key:`
      this.edits.push({ offset: start, length: value.range[1] - start, newText: block });
      return;
    }
    let eol = this.text.indexOf('\n', pair.key!.range![1]);
    if (eol === -1) eol = this.text.length;
    else if (this.text[eol - 1] === '\r') eol--;
    this.insert(eol, block);
  }

  /**
   * Sets the count in the note the fragment writes above a guard list ("… never allowed, even where a
   * pattern above matches (N). Keep them …") to `total`. A note the user rewrote is left as it is.
   */
  recountGuardNote(map: YAMLMap, key: string, total: number): void {
    const keyNode = pairOf(map, key)?.key;
    if (!keyNode?.range) return;
    const lineStart = this.lineStart(keyNode.range[0]);
    if (lineStart === 0) return;
    const noteStart = this.lineStart(lineStart - 1);
    const m = /^\s*#.*\((\d+)\)\. Keep them when you edit the patterns\.\r?\n$/.exec(this.text.slice(noteStart, lineStart));
    if (!m) return;
    const at = noteStart + m[0].lastIndexOf(`(${m[1]})`) + 1;
    this.edits.push({ offset: at, length: m[1]!.length, newText: String(total) });
  }

  /** The planned edits, sorted and joined, with line breaks matching the file's (CRLF files stay CRLF). */
  finish(): TextEdit[] {
    const crlf = this.text.includes('\r\n');
    return coalesce(this.edits).map((e) => (crlf ? { ...e, newText: e.newText.replace(/\r?\n/g, '\r\n') } : e));
  }

  /** Adds `items` to an empty or comment-only file as a new top-level list. */
  appendTopLevel(key: string, nodes: Node[]): void {
    if (!nodes.length) return;
    const needsBreak = this.text.length > 0 && !this.text.endsWith('\n');
    this.insert(this.text.length, `${needsBreak ? '\n' : ''}${key}:\n${blockItems(nodes, 2)}\n`);
  }
}

/**
 * The incoming command guards to merge into a rule, without those that would
 * refuse a call observed for a pattern already in the rule, when that pattern
 * wholly covers the guard (`spared` collects them). All patterns of a rule
 * share its guards, so such a guard would take back what the user approved
 * earlier: an earlier session's `git *` allowed `git push origin main`, and a
 * later one that never pushed brings the guard `git push*`. Leaving it out
 * allows nothing either fragment did not allow on its own: whatever the guard
 * refuses, the earlier pattern (with the rule's other guards) allowed.
 */
function sparedGuards(patternKey: string, guardKey: string, patterns: Node | null | undefined, guards: Scalar[], spared: string[]): Scalar[] {
  if (patternKey !== 'command_matches' || guardKey !== 'command_not_matches') return guards;
  const approved = (isSeq(patterns) ? patterns.items : [patterns]).filter(isScalar).map((p) => ({ pattern: str(p) ?? '', examples: observedExamples(p) }));
  return guards.filter((g) => {
    const guard = compileCommandGlob(str(g)!);
    // Only a guard that refuses a call the user saw and approved: a guard newer than the rule (a
    // dangerous form found since) is merged, however broad the earlier pattern.
    const covered = approved.some((a) => a.examples.some(guard) && wildcardCovers(a.pattern, str(g)!));
    if (covered) spared.push(str(g)!);
    return !covered;
  });
}

/**
 * Says which patterns of the fragment (added now or already there) a guard
 * already in the rule keeps from an observed call (into `blocked`). The guard stays: it may be one the user wrote, and
 * only narrows; the user decides whether to remove it.
 */
function refusedByRule(added: Scalar[], guards: string[], blocked: string[]): void {
  if (!guards.length) return;
  const compiled = guards.map((g) => ({ g, refuses: compileCommandGlob(g) }));
  for (const pattern of added) {
    for (const example of observedExamples(pattern)) {
      const hit = compiled.find((c) => c.refuses(example));
      if (hit) {
        blocked.push(`${str(pattern)}: the rule's guard "${hit.g}" refuses its observed call "${example}"`);
        break;
      }
    }
  }
}

/** The observed calls a learned pattern's comment lists (`# 3 observed (a, b, c)`), without the cut ones. */
function observedExamples(pattern: Scalar): string[] {
  const text = str(pattern) ?? '';
  const examples = commentExamples(pattern.comment);
  // An exact pattern is its own example (the comment leaves it out).
  return /[*?[]/.test(text) ? examples : [...examples, text];
}

/** Guard entries (`*_not_matches` items) of a policy's rules, or of one rule. */
function guardCount(node: YAMLMap): number {
  const rules = node.get('rules', true);
  return (isSeq(rules) ? rules.items : [node]).reduce((n: number, rule) => {
    const when = isMap(rule) ? rule.get('when', true) : undefined;
    if (!isMap(when)) return n;
    return n + (when.items as Pair<Node, Node | null>[]).filter((p) => isGuardKey(str(p.key) ?? '')).reduce((m, p) => m + strings(p.value).length, 0);
  }, 0);
}

/**
 * The edits that merge `fragment` into `policyText`, the patterns they add, and
 * how many guards come with them (new rules' guards, and those merged into an
 * existing rule).
 */
export function fragmentEdits(policyText: string, fragment: FragmentInput, opts: MergeOptions = {}): { edits: TextEdit[]; added: string[]; spared: string[]; blocked: string[]; guards: number; tests: number } {
  const file = opts.file ?? 'policy';
  const fragmentDoc = fragmentDocument(fragment, opts.fragmentFile ?? 'fragment', opts.select);
  const incoming = incomingPolicies(fragmentDoc, opts, opts.fragmentFile ?? 'fragment', typeof fragment === 'string' ? fragment : undefined);
  const target = parseTarget(policyText, file);
  const plan = new EditPlan(policyText, file);
  const added: string[] = [];
  const spared: string[] = [];
  const blocked: string[] = [];
  let guards = 0;
  const root = target.contents;

  if (root === null || root === undefined || (isScalar(root) && root.value === null)) {
    plan.appendTopLevel('policies', incoming);
    for (const p of incoming) {
      added.push(...allPatterns(p).map((v) => `${str(p.get('name', true))}: ${v}`));
      guards += guardCount(p);
    }
    const tests = opts.tests ? freshTests(fragmentDoc, undefined) : [];
    plan.appendTopLevel('tests', tests);
    return { edits: plan.finish(), added, spared, blocked, guards, tests: tests.length };
  }
  if (!isMap(root)) throw new MergeError(`${file}:${lineCol(policyText, root.range?.[0] ?? 0)}: a policy file must be a mapping with a "policies:" list`);
  const listNode = root.get('policies', true);
  if (listNode !== undefined && listNode !== null && !isSeq(listNode) && !(isScalar(listNode) && listNode.value === null)) {
    throw new MergeError(`${file}:${lineCol(policyText, (listNode as Node).range?.[0] ?? 0)}: "policies" must be a list`);
  }
  const existing = new Map<string, YAMLMap>();
  for (const item of isSeq(listNode) ? (listNode as YAMLSeq).items : []) {
    const name = isMap(item) ? str(item.get('name', true)) : undefined;
    if (name !== undefined && !existing.has(name)) existing.set(name, item as YAMLMap);
  }

  const newPolicies: YAMLMap[] = [];
  for (const policy of incoming) {
    const name = str(policy.get('name', true))!;
    const current = existing.get(name);
    // Into a policy of the user's own (a guard, a deny list), an added allow rule could change what it decides.
    // (Deny rules only narrow: the Reviewer's Deny… adds its rules to denied-after-review.)
    const rules = policy.get('rules', true);
    if (current && !name.startsWith(LEARNED_PREFIX) && isSeq(rules) && rules.items.some(isAllowRule)) {
      throw new MergeError(
        `${opts.fragmentFile ?? 'fragment'}: the fragment's policy "${name}" has the name of a policy in ${file}; allow rules are merged only into ${LEARNED_PREFIX}* policies (rename it to add it as a policy of its own)`,
      );
    }
    if (!current) {
      newPolicies.push(policy);
      added.push(...allPatterns(policy).map((v) => `${name}: ${v}`));
      guards += guardCount(policy);
      continue;
    }
    const currentRules = current.get('rules', true);
    const byShape = new Map<string, YAMLMap>();
    for (const rule of isSeq(currentRules) ? currentRules.items : []) {
      const shape = isMap(rule) ? ruleShape(rule) : undefined;
      if (shape && !byShape.has(shape.id)) byShape.set(shape.id, rule as YAMLMap);
    }
    const newRules: YAMLMap[] = [];
    for (const rule of isSeq(rules) ? rules.items : []) {
      if (!isMap(rule)) continue;
      const shape = ruleShape(rule);
      if (!shape) continue;
      const when = rule.get('when', true) as unknown as YAMLMap;
      const patterns = when.get(shape.key, true);
      const items = (isSeq(patterns) ? patterns.items : [patterns]).filter((n): n is Scalar => str(n) !== undefined);
      const match = byShape.get(shape.id);
      if (match) {
        const matchWhen = match.get('when', true) as unknown as YAMLMap;
        const have = new Set(strings(matchWhen.get(shape.key, true) as Node));
        const fresh = items.filter((n) => !have.has(str(n)!));
        plan.appendItems(matchWhen, shape.key, fresh);
        added.push(...fresh.map((n) => `${name}: ${str(n)}`));
        if (shape.key === 'command_matches') refusedByRule(items, strings(matchWhen.get('command_not_matches', true) as Node), blocked);
        for (const guardKey of shape.guardKeys) {
          const haveGuards = new Set(strings(matchWhen.get(guardKey, true) as Node));
          const incomingGuards = when.get(guardKey, true);
          const freshGuards = (isSeq(incomingGuards) ? incomingGuards.items : [incomingGuards]).filter((n): n is Scalar => str(n) !== undefined && !haveGuards.has(str(n)!));
          const kept = sparedGuards(shape.key, guardKey, matchWhen.get(shape.key, true) as Node, freshGuards, spared);
          plan.appendItems(matchWhen, guardKey, kept);
          if (kept.length) plan.recountGuardNote(matchWhen, guardKey, strings(matchWhen.get(guardKey, true) as Node).length + kept.length);
          guards += kept.length;
        }
      } else {
        newRules.push(rule);
        added.push(...items.map((n) => `${name}: ${str(n)}`));
        guards += guardCount(rule);
      }
    }
    plan.appendItems(current, 'rules', newRules);
  }
  plan.appendItems(root, 'policies', newPolicies);
  const tests = opts.tests ? freshTests(fragmentDoc, root.get('tests', true) as Node | undefined) : [];
  plan.appendItems(root, 'tests', tests);
  return { edits: plan.finish(), added, spared, blocked, guards, tests: tests.length };
}

/**
 * Edits that add `patterns` to the command_not_matches of rule `ruleIndex` (from 0) of the first policy
 * named `policyName`: an exception to that rule, comments and formatting kept.
 */
export function ruleExceptionEdits(policyText: string, file: string, policyName: string, ruleIndex: number, patterns: string[]): TextEdit[] {
  const doc = parseStrict(policyText, file);
  const list = isMap(doc.contents) ? doc.contents.get('policies', true) : undefined;
  const policy = isSeq(list) ? list.items.find((p) => isMap(p) && str(p.get('name', true)) === policyName) : undefined;
  const rules = isMap(policy) ? policy.get('rules', true) : undefined;
  const rule = isSeq(rules) ? rules.items[ruleIndex] : undefined;
  const when = isMap(rule) ? rule.get('when', true) : undefined;
  if (!isMap(when)) throw new MergeError(`${file}: rule ${ruleIndex} of "${policyName}" has no conditions an exception could narrow`);
  const plan = new EditPlan(policyText, file);
  const have = new Set(strings(when.get('command_not_matches', true) as Node));
  plan.appendItems(when, 'command_not_matches', patterns.filter((p) => !have.has(p)).map((p) => new Scalar(p)));
  return plan.finish();
}

/** A test case by what it runs and expects (names are shortened and may repeat). */
function testKey(node: unknown): string {
  if (!isMap(node)) return '';
  const { tool, params, expect } = node.toJSON() as { tool?: unknown; params?: Record<string, unknown>; expect?: unknown };
  return JSON.stringify([tool, Object.entries(params ?? {}).sort(([a], [b]) => a.localeCompare(b)), expect]);
}

/** The fragment's test cases that `existing` (the file's `tests:`) lacks. */
function freshTests(fragment: Document, existing: Node | undefined): Node[] {
  const incoming = fragment.get('tests', true);
  if (!isSeq(incoming)) return [];
  const have = new Set(isSeq(existing) ? existing.items.map(testKey) : []);
  return (incoming.items as Node[]).filter((t) => {
    const key = testKey(t);
    if (have.has(key)) return false;
    have.add(key);
    return true;
  });
}

/** Sorts edits by offset and joins insertions at the same offset (in the order they were planned). */
function coalesce(edits: TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const e of [...edits].sort((a, b) => a.offset - b.offset)) {
    const prev = out[out.length - 1];
    if (prev && prev.offset === e.offset && prev.length === 0) {
      out[out.length - 1] = { offset: e.offset, length: e.length, newText: prev.newText + e.newText };
    } else out.push({ ...e });
  }
  return out;
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.offset - a.offset)) {
    out = out.slice(0, e.offset) + e.newText + out.slice(e.offset + e.length);
  }
  return out;
}

/** Lines of `comment` as YAML comments at the end of `text`, in its line breaks. */
function appendComment(text: string, comment: string[]): string {
  const body = comment.map((l) => `#${l.trimEnd()}`).join('\n');
  const block = `${text.endsWith('\n') || !text ? '' : '\n'}${body}\n`;
  return text + (text.includes('\r\n') ? block.replace(/\n/g, '\r\n') : block);
}

export interface AppendResult extends MergeResult {
  /** Inline test cases added. */
  tests: number;
}

/**
 * `--append`: merges new suggestions into an earlier fragment. The policies merge as `apply` merges them;
 * the inline tests the file lacks join its `tests:`, so `rampart-learn test` covers the new patterns;
 * the run's notes (WARNINGS, ALREADY HANDLED, SELF-CHECK) that the file does not list yet follow at its end.
 */
export function appendToFragment(fragmentText: string, s: Suggestions, meta: Pick<FragmentMeta, 'generatedBy' | 'generatedAt' | 'toolCalls'>, opts: MergeOptions = {}): AppendResult {
  const { edits, added, spared, blocked, tests } = fragmentEdits(fragmentText, s, { ...opts, tests: true });
  let text = applyEdits(fragmentText, edits);
  const listed = (tool: string, raw: string) => fragmentText.includes(` ${tool} ${oneLine(raw, 60)}`);
  const notes = fragmentNotes({ ...s, warnings: s.warnings.filter((w) => !listed(w.tool, w.raw)), handled: s.handled.filter((h) => !listed(h.tool, h.raw)) });
  if (notes) {
    const when = meta.generatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
    text = appendComment(text, [` Appended by: ${oneLine(meta.generatedBy, 200)} at ${when}  |  Tool calls: ${meta.toolCalls}`, ...notes.split('\n')]);
  }
  return { ...finishMerge(fragmentText, text, opts), added, spared, blocked, tests };
}

/** The merged text checked to still parse, with a diff against the original. */
function finishMerge(before: string, text: string, opts: MergeOptions): Omit<MergeResult, 'added' | 'spared' | 'blocked'> {
  // Never hand back a file that no longer parses.
  parseStrict(text, `${opts.file ?? 'policy'} (after merge)`);
  const name = opts.file ?? 'policy';
  const diff = text === before ? '' : createTwoFilesPatch(name, name, before, text, 'before', 'after');
  return { text, diff };
}

/** Merges `fragment` into `policyText`; returns the new text, what was added and a unified diff. */
export function applyFragment(policyText: string, fragment: FragmentInput, opts: MergeOptions = {}): MergeResult {
  const { edits, added, spared, blocked } = fragmentEdits(policyText, fragment, opts);
  return { ...finishMerge(policyText, applyEdits(policyText, edits), opts), added, spared, blocked };
}
