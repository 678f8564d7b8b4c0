// Renders Suggestions as a reviewable policy fragment: a complete policy file
// (`version`, `policies`, `tests`) whose `learned-*` policies can also be
// lifted under another file's `policies:` (that is what `apply` does). Built
// with the yaml Document API so comments attach to the right nodes.
import { Document, type Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { plural } from '../plural';
import { distinctLines, formatDuration, warningEntries } from './format-summary';
import { BIDI, oneLine, unicodeEscape } from '../printable';
import { shellWord } from '../shell/quote';
import { isCompanion } from './companions';
import { fragmentPolicies } from './fragment-policies';
import { guardBinary } from '../policy/pattern-info';
import { leadingLiteral } from '../glob/index';
import type { LearnTestCase, PatternEntry, Suggestions } from './types';

export const LEARNED_MESSAGE = 'Learned from agent session (rampart-learn)';

export interface FragmentMeta {
  /** The command line that produced the fragment, e.g. `rampart-learn learn -- claude`. */
  generatedBy: string;
  generatedAt: Date;
  /** Absent when the calls carried no timestamps; summed over the sessions when there are several. */
  durationMs?: number;
  /** Distinct sessions the calls came from. */
  sessions?: number;
  toolCalls: number;
  /** Output file name used in the "To merge" hint. */
  outputName?: string;
}

/**
 * The examples a `patternComment` lists, read back (without those it cut
 * short): what `apply` knows the user saw and approved for that pattern.
 */
export function commentExamples(comment: string | null | undefined): string[] {
  const listed = /^\s*\d+ observed \((.*)\)/.exec((comment ?? '').split(' — ')[0]!)?.[1];
  return listed ? listed.split(', ').filter((e) => !e.endsWith('…') && !e.startsWith('…')) : [];
}

/** Shortest prefix a path pattern's literal must have before an example under it is shown by what follows it. */
const LONG_PREFIX = 24;

/**
 * The part of an example the pattern is about: from where the pattern's text starts in a longer command line
 * (`cd "C:/…" && ls -la` → `…ls -la`), or after a long folder the pattern already names (`…/src/a.ts`).
 */
function exampleFor(example: string, pattern: string): string {
  const lead = leadingLiteral(pattern);
  const at = lead ? example.indexOf(lead) : -1;
  // Only where a command of the line starts (not inside a URL, whose host a domain pattern names).
  if (at > 0 && /[\s;&|(]/.test(example[at - 1]!)) return `…${example.slice(at)}`;
  const folder = lead.slice(0, lead.lastIndexOf('/') + 1);
  if (at === 0 && folder.length >= LONG_PREFIX && example.length > folder.length) return `…/${example.slice(folder.length)}`;
  return example;
}

export function patternComment(entry: PatternEntry): string {
  // A companion was never observed: its note says why it is suggested.
  if (isCompanion(entry) && entry.note) return ` ${oneLine(entry.note, 100)}`;
  // Distinct command lines may show the same part (`…head -50`): once is enough.
  const examples = [...new Set(entry.examples.filter((e) => e !== entry.pattern).map((e) => oneLine(exampleFor(e, entry.pattern), 50)))];
  const note = [entry.note && oneLine(entry.note, 80), narrowerHint(entry)].filter(Boolean).map((n) => ` — ${n}`).join('');
  return ` ${entry.count} observed${examples.length ? ` (${examples.join(', ')})` : ''}${note}`;
}

/** A whole tool learned from one call (`gh *` from `gh issue view 445`): the reviewer hears of the narrower choice. */
function narrowerHint(entry: PatternEntry): string | undefined {
  if (entry.count !== 1 || entry.alternatives.find((a) => a.pattern === entry.pattern)?.kind !== 'glob') return undefined;
  const narrower = entry.alternatives.find((a) => a.kind === 'prefix');
  return narrower && `from one call; narrower: ${oneLine(narrower.pattern, 60)}`;
}

/**
 * Explains a guard list to the reviewer: what it is, and for commands, whose dangerous forms each run of
 * guards holds (fragmentPolicies keeps each binary's guards together, the guards of every command last).
 */
export function labelGuards(pair: Pair<Scalar<string>, YAMLSeq<Scalar<string>>>, section: 'exec' | 'read' | 'write' | 'fetch'): void {
  const items = pair.value!.items;
  const what = { exec: 'Dangerous forms', read: 'Sensitive files', write: 'Sensitive files and files that run code or grant permissions once written', fetch: 'Hosts' }[section];
  pair.key.commentBefore = ` ${what}: never allowed, even where a pattern above matches (${items.length}). Keep them when you edit the patterns.`;
  if (section !== 'exec') return;
  const binaries = items.map((item) => guardBinary(item.value));
  binaries.forEach((bin, i) => {
    if (i > 0 && bin === binaries[i - 1]) return;
    const n = binaries.slice(i).findIndex((b) => b !== bin);
    const size = n < 0 ? binaries.length - i : n;
    items[i].commentBefore = bin
      ? ` ${bin} (${size})`
      : ` any command (${size}): shells, code run by options or variables, credential and start-up files, sockets, metadata endpoints`;
  });
}

/**
 * The learned policies as yaml nodes: the structure is fragmentPolicies'
 * (the one the Analyzer self-checked), dressed for review with a count and
 * examples on each pattern, quoted patterns and a message on each rule.
 */
function policyNodes(doc: Document, s: Suggestions): YAMLSeq {
  const seq = doc.createNode(fragmentPolicies(s)) as YAMLSeq<YAMLMap>;
  for (const policy of seq.items) {
    const key = String(policy.get('name')).replace(/^learned-/, '') as 'exec' | 'read' | 'write' | 'fetch';
    const byPattern = new Map((s[key] ?? []).map((e) => [e.pattern, e]));
    (policy.getIn(['match', 'tool'], true) as YAMLSeq).flow = true;
    for (const rule of (policy.get('rules') as YAMLSeq<YAMLMap>).items) {
      for (const pair of (rule.get('when') as YAMLMap<Scalar<string>, YAMLSeq<Scalar<string>>>).items) {
        const guards = pair.key.value.endsWith('_not_matches');
        for (const item of pair.value!.items) {
          item.type = Scalar.QUOTE_DOUBLE;
          const entry = guards ? undefined : byPattern.get(item.value);
          if (entry) item.comment = patternComment(entry);
        }
        if (guards) labelGuards(pair, key);
      }
      rule.set('message', LEARNED_MESSAGE);
    }
  }
  return seq;
}

function quoted(value: string): Scalar<string> {
  const node = new Scalar(value);
  node.type = Scalar.QUOTE_DOUBLE;
  return node;
}

function testNode(doc: Document, t: LearnTestCase): unknown {
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(t.params)) params[k] = quoted(v);
  // `rampart-learn test` prints the name: a hostile command's escapes and bidi controls must not reach the terminal.
  return doc.createNode({ name: oneLine(t.name, Infinity), tool: t.tool, params, expect: t.expect });
}

const RULE_LINE = ` ${'─'.repeat(70)}`;
/** A comment line that renders as a bare `#` (an empty string would render as a blank line). */
const BLANK = ' ';
const MAX_LISTED = 100;

function listBlock(title: string[], lines: string[]): string[] {
  const shown = lines.slice(0, MAX_LISTED);
  if (lines.length > MAX_LISTED) shown.push(`   … and ${lines.length - MAX_LISTED} more`);
  return [...title.map((t) => ` ${t}`), BLANK, ...shown];
}

/** One line per unresolved self-check finding. */
export function selfCheckLines(s: Pick<Suggestions, 'check'>): string[] {
  const c = s.check;
  if (!c) return [];
  return [
    ...c.leaks.map((p) => `   dangerous probe still allowed by the fragment: ${oneLine(p, 80)}`),
    ...c.regressions.map((p) => `   denied or asked by the policy but allowed with the fragment: ${oneLine(p, 80)}`),
    ...c.notAllowed.map((p) => `   observed but not allowed by the fragment: ${oneLine(p, 80)}`),
  ];
}

/** The notes at the end of a fragment (WARNINGS, ALREADY HANDLED, SELF-CHECK), as comment lines; undefined when there are none. */
export function fragmentNotes(s: Pick<Suggestions, 'warnings' | 'handled' | 'check'>): string | undefined {
  const blocks: string[] = [];
  if (s.warnings.length) {
    const entries = warningEntries(s.warnings);
    const labels = distinctLines(s.warnings.map((w) => w.raw), 60).map((raw, i) => `${s.warnings[i]!.tool} ${raw}`);
    const label = new Map(s.warnings.map((w, i) => [w, labels[i]!]));
    const width = Math.min(40, Math.max(...labels.map((l) => l.length)));
    const lines = entries.flatMap((g) => {
      // In full: the file is where the reviewer reads why (the terminal summary shortens it).
      const reason = `     Reason: ${oneLine(g[0]!.reason, Infinity)}`;
      if (g.length === 1) return [`   ${label.get(g[0]!)!.padEnd(width)}  → ${g[0]!.count} observed`, reason, BLANK];
      const total = g.reduce((n, w) => n + w.count, 0);
      return [`   ${g[0]!.tool}: ${g.length} commands  → ${total} observed`, reason, ...g.map((w) => `     ${label.get(w)!.padEnd(width)}  → ${w.count} observed`), BLANK];
    });
    blocks.push(...listBlock(['WARNINGS — These were observed but NOT added to the allow list.', 'Review these manually:'], lines.slice(0, -1)));
  }
  if (s.handled.length) {
    const raws = distinctLines(s.handled.map((h) => h.raw), 60);
    const lines = s.handled.map((h, i) => `   ${h.tool} ${raws[i]}  → ${h.count} observed, ${h.action} by ${h.policy}`);
    if (blocks.length) blocks.push(RULE_LINE);
    blocks.push(...listBlock(['ALREADY HANDLED — the active policy denies or asks these; nothing was suggested:'], lines));
  }
  const check = selfCheckLines(s);
  if (check.length) {
    if (blocks.length) blocks.push(RULE_LINE);
    blocks.push(...listBlock(['SELF-CHECK — problems the analyzer could not resolve; review before applying:'], check));
  }
  return blocks.length ? [RULE_LINE, ...blocks, RULE_LINE].join('\n') : undefined;
}

/** The heading of the review notice in every fragment's header (also how an earlier fragment is recognised). */
export const REVIEW_HEADING = 'REVIEW BEFORE APPLYING:';

function durationLine(meta: FragmentMeta): string {
  const duration = meta.durationMs === undefined ? 'unknown (no timestamps)' : formatDuration(meta.durationMs);
  return (meta.sessions ?? 1) > 1 ? `Duration: ${duration} over ${meta.sessions} sessions` : `Session duration: ${duration}`;
}

function header(meta: FragmentMeta, s: Suggestions): string {
  const out = shellWord(meta.outputName ?? 'rampart-learn.yaml');
  return [
    ` Generated by: ${oneLine(meta.generatedBy, 200)}`,
    ` Generated at: ${meta.generatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
    ` ${durationLine(meta)}  |  Tool calls: ${meta.toolCalls}`,
    BLANK,
    ` ${REVIEW_HEADING}`,
    "   - Remove patterns you don't want to allow",
    `   - Sensitive paths and calls the policy already denies are NOT included (${plural(s.warnings.length, 'warning')}, ${s.handled.length} handled; see the end of this file)`,
    `   - Run \`rampart-learn test ${out}\` and, after merging, \`rampart-learn test rampart.yaml\``,
    BLANK,
    ` To merge:  rampart-learn apply ${out} --policy rampart.yaml`,
    '   (adds the learned-* policies below under `policies:`, keeps your comments, writes a backup)',
    BLANK,
    CONTENTS_MARK,
  ].join('\n');
}

/** Stands for the contents line until the lines it points at are known (renderFragment). */
const CONTENTS_MARK = ' Contents: …';

/** Where a reader of the file finds each part (learned rules can carry thousands of guard lines): `name line N`. */
const CONTENTS: [string, RegExp][] = [
  ['learned-exec', /^ {2}- name: learned-exec$/],
  // Only learned-exec has command guards; they follow its patterns.
  ['its guards', /^ {10}command_not_matches:$/],
  ['learned-read', /^ {2}- name: learned-read$/],
  ['learned-write', /^ {2}- name: learned-write$/],
  ['learned-fetch', /^ {2}- name: learned-fetch$/],
  ['tests', /^tests:/],
  ['WARNINGS', /^# WARNINGS\b/],
  ['ALREADY HANDLED', /^# ALREADY HANDLED\b/],
  ['SELF-CHECK', /^# SELF-CHECK\b/],
];

/** The header's contents line: the first line of each part, in the rendered text (whose line count it keeps). */
function withContents(text: string): string {
  const lines = text.split('\n');
  const parts: string[] = [];
  let from = 0;
  for (const [name, pattern] of CONTENTS) {
    const at = lines.findIndex((line, i) => i >= from && pattern.test(line));
    if (at < 0) continue;
    parts.push(`${name} line ${at + 1}`);
    from = at;
  }
  return text.replace(`#${CONTENTS_MARK}\n`, `# Contents: ${parts.join(', ')}\n`);
}

/** Builds the fragment document (exposed for callers that want to inspect nodes). */
export function buildFragment(s: Suggestions, meta: FragmentMeta): Document {
  const doc = new Document({ version: '1' });
  doc.set('policies', policyNodes(doc, s));
  doc.set('tests', new YAMLSeq());
  const tests = doc.get('tests') as YAMLSeq;
  tests.items.push(...s.tests.map((t) => testNode(doc, t)));
  doc.commentBefore = header(meta, s);
  doc.comment = fragmentNotes(s) ?? null;
  return doc;
}

const YAML_OPTIONS = { lineWidth: 0, flowCollectionPadding: false } as const;

/**
 * Generated YAML as text. The yaml library escapes only C0 controls in
 * double-quoted values, so a path or command with a bidi control would read
 * in another order in an editor than it matches. Learned text reaches the
 * output only in double-quoted values (comments and test names go through
 * oneLine), where `\uXXXX` reads back as the same character.
 */
export function renderYaml(doc: Document): string {
  return doc.toString(YAML_OPTIONS).replace(BIDI, unicodeEscape);
}

export function renderFragment(s: Suggestions, meta: FragmentMeta): string {
  return withContents(renderYaml(buildFragment(s, meta)));
}
