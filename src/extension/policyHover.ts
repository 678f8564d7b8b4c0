// Hovers in policy files: a key's meaning, an action's or a tool's, and for a
// pattern of a rule's `when` what the glob means in words and how many of the
// calls recently recorded in this workspace's telemetry store it matches.
// Everything shown is local: the policy text and the workspace's own store.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { compileNameGlob } from '../core/policy';
import type { TelemetryStore } from '../core/telemetry';
import type { Action } from '../core/types';
import { plural } from '../core/plural';
import { isPolicyDocument } from './folders';
import { isSuiteText, mappingAt, nodeAt, type PathSegment } from './policyCursor';
import { ACTION_DOCS, isActionKey, KEY_DOCS, TOOL_DOCS } from './policyKeyDocs';
import { code, countMatches, describePattern, distinctValues, isConditionKey, patternKind, ruleName, SUBJECT, type MatchCount, type RecordedValue } from '../core/policy/pattern-info';
import { CURRENT_ACTIONS } from '../core/policy/schema';
import { parseMetadata } from './telemetryRows';

/** The newest events looked at, per tool: enough to be representative, few enough to answer at once. */
export const RECENT_WINDOW = 5_000;
const EXAMPLES = 3;
const MAX_CACHED = 500;

export interface CallWindow {
  /** Distinct values, newest first. */
  values: RecordedValue[];
  /** Events read (at most RECENT_WINDOW). */
  events: number;
  /** Changes whenever the store gains or loses events. */
  key: string;
}

/** The recent calls of the workspace's telemetry store, read once per state of the store and set of tools. */
export class RecentCalls {
  private cached?: { key: string; window: CallWindow };

  constructor(
    /** The store, or undefined when nothing was ever recorded (the hover must not create one). */
    private readonly open: () => Promise<TelemetryStore | undefined>,
    readonly limit = RECENT_WINDOW,
  ) {}

  async window(tools: readonly string[]): Promise<CallWindow | undefined> {
    const store = await this.open();
    if (!store) return undefined;
    const newest = store.queryRecent(1)[0];
    const state = `${store.countEvents()}:${newest?.id ?? ''}`;
    const key = `${tools.join(',')}|${state}`;
    if (this.cached?.key === key) return this.cached.window;
    const rows = tools
      .flatMap((tool) => store.queryRecent(this.limit, { tool }))
      .sort((a, b) => (a.ts < b.ts ? 1 : a.ts > b.ts ? -1 : a.id < b.id ? 1 : -1))
      .slice(0, this.limit);
    const values = distinctValues(
      rows,
      (r) => (r.command == null || r.tool == null ? undefined : { tool: r.tool, value: r.command }),
      (r) => {
        const meta = parseMetadata(r.metadata);
        return { cwd: typeof meta.cwd === 'string' ? meta.cwd : undefined, agent: typeof meta.agent === 'string' ? meta.agent : undefined };
      },
    );
    const window: CallWindow = { values, events: rows.length, key };
    this.cached = { key, window };
    return window;
  }
}

export interface HoverText {
  markdown: string;
  start: number;
  end: number;
}


/** A value of the document at a path, as plain data. */
function valueAt(doc: Document, path: PathSegment[]): unknown {
  const n = doc.getIn(path, true) as Node | undefined;
  if (isScalar(n)) return n.value;
  if (isSeq(n) || isMap(n)) return n.toJSON();
  return undefined;
}

/** The tools a pattern's calls come from: those carrying its field, narrowed by the policy's `match.tool`. */
export function toolsFor(kind: keyof typeof SUBJECT, matchTool: unknown): string[] {
  const globs = typeof matchTool === 'string' ? [matchTool] : Array.isArray(matchTool) ? matchTool.filter((t): t is string => typeof t === 'string') : undefined;
  const tools = SUBJECT[kind].tools;
  if (!globs) return [...tools];
  const tests = globs.map((g) => compileNameGlob(g));
  return tools.filter((t) => tests.some((test) => test(t)));
}

/** Hover text at an offset of a parsed policy file, or undefined where there is nothing to say. */
export async function policyHoverText(
  doc: Document,
  text: string,
  offset: number,
  calls: RecentCalls | undefined,
  cache?: Map<string, MatchCount>,
): Promise<HoverText | undefined> {
  const hit = nodeAt(doc, offset);
  if (!hit || !isScalar(hit.node) || !hit.node.range) return undefined;
  const suite = isSuiteText(text);
  const [start, end] = hit.node.range;
  const path = hit.path;
  if (hit.isKey) {
    const key = String(hit.node.value);
    const mapping = mappingAt(path.slice(0, -1), suite);
    const meaning = mapping && KEY_DOCS[mapping][key];
    return meaning ? { markdown: `**${key}** (${mapping === 'top' ? 'top-level' : mapping} key)\n\n${meaning}`, start, end } : undefined;
  }
  const item = typeof path[path.length - 1] === 'number';
  const keyPath = item ? path.slice(0, -1) : path;
  const key = keyPath[keyPath.length - 1];
  if (typeof key !== 'string') return undefined;
  const mappingPath = keyPath.slice(0, -1);
  const mapping = mappingAt(mappingPath, suite);
  const value = hit.node.value;
  if (typeof value !== 'string') return undefined;
  if (isActionKey(mapping, key) && ACTION_DOCS[value]) return { markdown: `**${value}** (action)\n\n${ACTION_DOCS[value]}`, start, end };
  if ((mapping === 'match' || mapping === 'test') && key === 'tool' && TOOL_DOCS[value]) return { markdown: `**${value}** (tool)\n\n${TOOL_DOCS[value]}`, start, end };
  if (mapping !== 'when' || !isConditionKey(key)) return undefined;

  const rulePath = mappingPath.slice(0, -1);
  const actionValue = valueAt(doc, [...rulePath, 'action']);
  const action = (actionValue === 'log' ? 'watch' : (CURRENT_ACTIONS as readonly unknown[]).includes(actionValue) ? actionValue : undefined) as Action | undefined;
  const reading = { key, action };
  const kind = patternKind(key);
  const lines = [`**${code(value)}**: ${kind === 'contains' ? 'plain text' : `${kind} glob`} in \`${key}\`${action ? ` of ${ruleName(action)}` : ''}`, '', ...describePattern(value, reading).map((l) => `- ${l}`)];
  const tools = toolsFor(kind, valueAt(doc, [...rulePath.slice(0, -2), 'match', 'tool']));
  lines.push('', await countText(value, reading, tools, calls, cache));
  return { markdown: lines.join('\n'), start, end };
}

async function countText(pattern: string, reading: { key: Parameters<typeof patternKind>[0]; action?: Action }, tools: string[], calls: RecentCalls | undefined, cache?: Map<string, MatchCount>): Promise<string> {
  const field = SUBJECT[patternKind(reading.key)].param;
  if (!tools.length) return `This policy's \`match.tool\` names no tool whose calls have a ${field}.`;
  const window = calls && (await calls.window(tools));
  if (!window || !window.events) return `No ${tools.join('/')} calls recorded in this workspace yet.`;
  const id = `${window.key}|${reading.key}|${reading.action ?? ''}|${pattern}`;
  let count = cache?.get(id);
  if (!count) {
    count = countMatches(pattern, reading, window.values, EXAMPLES);
    if (cache) {
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(id, count);
    }
  }
  if (count.error) return `Does not compile: ${count.error}`;
  const verb = reading.key.endsWith('_not_matches') ? 'Excludes' : 'Matches';
  const noun = field === 'command' ? 'command' : field;
  const scope = `the last ${plural(window.events, `${tools.join('/')} call`)} recorded in this workspace`;
  const head = `**${verb} ${count.matched.toLocaleString('en-US')} of ${plural(count.distinct, `distinct ${noun}`)}** (${plural(count.matchedCalls, 'call')}) in ${scope}.`;
  return count.examples.length ? `${head}\n\n${count.examples.map((e) => `- ${code(e)}`).join('\n')}` : head;
}

export class PolicyHoverProvider implements vscode.HoverProvider {
  private parsed?: { uri: string; version: number; doc: Document };
  private readonly counts = new Map<string, MatchCount>();

  constructor(private readonly calls: RecentCalls) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    if (!isPolicyDocument(document.uri)) return undefined;
    const uri = document.uri.toString();
    if (this.parsed?.uri !== uri || this.parsed.version !== document.version) {
      this.parsed = { uri, version: document.version, doc: parseDocument(document.getText(), { uniqueKeys: false, prettyErrors: false }) };
    }
    const text = document.getText();
    const hover = await policyHoverText(this.parsed.doc, text, document.offsetAt(position), this.calls, this.counts);
    if (!hover) return undefined;
    const md = new vscode.MarkdownString(hover.markdown);
    md.isTrusted = false;
    md.supportHtml = false;
    return new vscode.Hover(md, new vscode.Range(document.positionAt(hover.start), document.positionAt(hover.end)));
  }
}

/** The workspace's store for hovers: opened only when one exists already. */
export function existingStore(file: string, store: () => Promise<TelemetryStore>): () => Promise<TelemetryStore | undefined> {
  return async () => (existsSync(file) || existsSync(`${file}.journal`) ? store() : undefined);
}
