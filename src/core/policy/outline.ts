// The outline of a policy file, for an editor's Outline view, breadcrumbs and
// "Go to Symbol": its settings, each policy and rule, the pattern lists, and
// the sections a learned fragment writes as comments (WARNINGS …). A learned
// rule's guard list can hold thousands of lines; the outline shows it as one
// entry per binary, so a reviewer can jump past it.
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import { guardBinary } from './pattern-info';
import { grouped, plural } from '../plural';
import { oneLine } from '../printable';

export type OutlineKind = 'setting' | 'section' | 'policy' | 'rule' | 'list' | 'pattern' | 'group' | 'test' | 'note';

export interface OutlineItem {
  name: string;
  detail: string;
  kind: OutlineKind;
  /** Offsets in the text: what the item spans, and the part to select (its name). */
  range: [number, number];
  selection: [number, number];
  children: OutlineItem[];
}

/** Lists longer than this are shown by their groups (guards) or not item by item (anything else). */
const MAX_LISTED = 500;
const NAME_WIDTH = 80;

/** Comment sections of a learned fragment: a line `# TITLE — …` or `# TITLE:` at the left margin. */
const COMMENT_SECTION = /^# (WARNINGS|ALREADY HANDLED|SELF-CHECK[A-Z ]*)\b.*$/gm;

function str(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}

function span(node: Node | null | undefined, fallback: [number, number]): [number, number] {
  return node?.range ? [node.range[0], node.range[1]] : fallback;
}

/** The range of a `key: value` pair, from its key to the end of its value. */
function pairSpan(pair: Pair<unknown, unknown>): [number, number] {
  const key = span(pair.key as Node, [0, 0]);
  const value = pair.value as Node | null;
  return [key[0], value?.range ? Math.max(key[1], value.range[1]) : key[1]];
}

function item(name: string, detail: string, kind: OutlineKind, range: [number, number], selection: [number, number], children: OutlineItem[] = []): OutlineItem {
  return { name: oneLine(name, NAME_WIDTH) || '(empty)', detail, kind, range, selection, children };
}

/** A `*_matches` / `*_not_matches` list: its patterns, or for command guards one entry per binary. */
function listItem(pair: Pair<unknown, unknown>): OutlineItem {
  const key = str(pair.key) ?? '';
  const value = pair.value as Node | null;
  const range = pairSpan(pair);
  const keySpan = span(pair.key as Node, range);
  const values = isSeq(value) ? (value.items as Node[]) : value ? [value] : [];
  const guards = key.endsWith('_not_matches');
  const detail = plural(values.length, guards ? 'exclusion' : 'pattern');
  if (key === 'command_not_matches') return item(key, detail, 'list', range, keySpan, guardGroups(values));
  if (values.length > MAX_LISTED) return item(key, detail, 'list', range, keySpan);
  const children = values.map((v) => {
    const text = str(v) ?? '';
    const at = span(v, range);
    return item(text, (v.comment ?? '').trim(), 'pattern', at, at);
  });
  return item(key, detail, 'list', range, keySpan, children);
}

/** Consecutive guards of one binary (as a learned fragment orders them), and those of every command. */
function guardGroups(values: Node[]): OutlineItem[] {
  const groups: OutlineItem[] = [];
  let start = 0;
  for (let i = 1; i <= values.length; i++) {
    const bin = (k: number) => guardBinary(str(values[k]) ?? '');
    if (i < values.length && bin(i) === bin(start)) continue;
    const first = span(values[start], [0, 0]);
    const last = span(values[i - 1], first);
    const name = bin(start) ?? 'any command';
    groups.push(item(name, grouped(i - start), 'group', [first[0], last[1]], first));
    start = i;
  }
  return groups;
}

function ruleItem(rule: Node, index: number): OutlineItem {
  const range = span(rule, [0, 0]);
  if (!isMap(rule)) return item(`rule ${index + 1}`, '', 'rule', range, range);
  const action = str(rule.get('action', true)) ?? '?';
  const message = str(rule.get('message', true)) ?? '';
  const actionNode = (rule.items as Pair<unknown, unknown>[]).find((p) => str(p.key) === 'action');
  const when = rule.get('when', true);
  const lists = isMap(when) ? (when.items as Pair<unknown, unknown>[]).filter((p) => /_(not_)?matches$|_contains$/.test(str(p.key) ?? '')).map(listItem) : [];
  return item(action, message, 'rule', range, actionNode ? pairSpan(actionNode) : range, lists);
}

function policyItem(policy: Node, index: number): OutlineItem {
  const range = span(policy, [0, 0]);
  if (!isMap(policy)) return item(`policy ${index + 1}`, '', 'policy', range, range);
  const nameNode = policy.get('name', true) as Node | undefined;
  const rules = policy.get('rules', true);
  const ruleNodes = isSeq(rules) ? (rules.items as Node[]) : [];
  const tools = policy.getIn(['match', 'tool'], true);
  const toolText = isSeq(tools) ? tools.items.map(str).join(', ') : (str(tools) ?? '');
  const priority = str(policy.get('priority', true));
  const detail = [priority !== undefined ? `priority ${priority}` : '', toolText, plural(ruleNodes.length, 'rule')].filter(Boolean).join(' · ');
  return item(str(nameNode) ?? `policy ${index + 1}`, detail, 'policy', range, span(nameNode, range), ruleNodes.map(ruleItem));
}

function testItem(test: Node, index: number): OutlineItem {
  const range = span(test, [0, 0]);
  if (!isMap(test)) return item(`test ${index + 1}`, '', 'test', range, range);
  const nameNode = test.get('name', true) as Node | undefined;
  const expect = str((test as YAMLMap).get('expect', true));
  return item(str(nameNode) ?? `test ${index + 1}`, expect ? `expect ${expect}` : '', 'test', range, span(nameNode, range));
}

/** A top-level key: a list of policies or tests becomes a section with its entries, anything else a setting. */
function topItem(pair: Pair<unknown, unknown>): OutlineItem {
  const key = str(pair.key) ?? '';
  const range = pairSpan(pair);
  const keySpan = span(pair.key as Node, range);
  const value = pair.value as Node | null;
  if (isSeq(value) && (key === 'policies' || key === 'tests')) {
    const entries = value.items as Node[];
    const children = key === 'policies' ? entries.map(policyItem) : entries.length > MAX_LISTED ? [] : entries.map(testItem);
    return item(key, plural(entries.length, key === 'policies' ? 'policy' : 'test', key === 'policies' ? 'policies' : 'tests'), 'section', range, keySpan, children);
  }
  return item(key, str(value) ?? '', 'setting', range, keySpan);
}

/** The comment sections at the end of a learned fragment, each up to the next one or the end of the text. */
function commentSections(text: string): OutlineItem[] {
  const starts = [...text.matchAll(COMMENT_SECTION)];
  return starts.map((m, i) => {
    const at = m.index!;
    const end = i + 1 < starts.length ? starts[i + 1]!.index! : text.trimEnd().length;
    const title = m[1]!.trim();
    return item(title, oneLine(m[0].slice(2 + title.length).replace(/^[\s—:-]+/, ''), NAME_WIDTH), 'note', [at, Math.max(at, end)], [at, at + m[0].length]);
  });
}

/**
 * The outline of a policy file or learned fragment. Never throws: YAML errors
 * leave out what cannot be read, and what can is still outlined.
 */
export function policyOutline(text: string): OutlineItem[] {
  const doc = parseDocument(text, { uniqueKeys: false });
  const root = doc.contents;
  const items = isMap(root) ? (root.items as Pair<unknown, unknown>[]).map(topItem) : isSeq(root) ? (root.items as Node[]).map(policyItem) : [];
  return [...items, ...commentSections(text)].sort((a, b) => a.range[0] - b.range[0]);
}
