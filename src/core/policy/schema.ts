// Strict schema check of one policy (or test suite) document. Walks the yaml
// AST rather than plain JS values so that every error points at the exact
// key or value that caused it.
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Action, KnownTool, ToolParams } from '../types';
import { SourceText, suggest } from './diagnostics';
import type { ConditionKey, PolicyDiagnostic, PolicyTestCase, SourcePattern, Span } from './types';

export const ACTIONS = ['allow', 'deny', 'ask', 'watch', 'log'] as const;
/** The actions to write: every one but the deprecated `log` (an alias of `watch`, accepted with a warning). */
export const CURRENT_ACTIONS = ['allow', 'deny', 'ask', 'watch'] as const satisfies readonly (typeof ACTIONS)[number][];
/** The tools policies name in `match.tool` and test cases (others, e.g. MCP tool names, pass through as strings). */
export const KNOWN_TOOLS = ['exec', 'read', 'write', 'edit', 'fetch', 'search', 'mcp'] as const satisfies readonly KnownTool[];
export const CONDITION_KEYS: readonly ConditionKey[] = [
  'command_matches',
  'command_not_matches',
  'command_contains',
  'path_matches',
  'path_not_matches',
  'domain_matches',
  'url_matches',
];
export const TOP_KEYS: readonly string[] = ['version', 'default_action', 'policies', 'tests'];
export const SUITE_KEYS: readonly string[] = ['policy', 'tests'];
export const POLICY_KEYS: readonly string[] = ['name', 'description', 'priority', 'enabled', 'match', 'rules'];
export const MATCH_KEYS: readonly string[] = ['tool', 'agent', 'session'];
export const RULE_KEYS: readonly string[] = ['action', 'when', 'message'];
export const WHEN_KEYS: readonly string[] = [...CONDITION_KEYS, 'default'];
export const TEST_KEYS: readonly string[] = ['name', 'tool', 'agent', 'session', 'cwd', 'params', 'expect', 'expect_message'];
/** The call parameters a test case's `params` usually holds (`ToolParams`' named fields; the loader takes any key there). */
export const PARAM_KEYS: readonly string[] = ['command', 'path', 'url', 'query'];

/** Where each mapping of a policy file sits, and the keys the loader accepts in it (for editors). */
export const POLICY_FILE_SHAPE = {
  top: TOP_KEYS,
  suite: SUITE_KEYS,
  policy: POLICY_KEYS,
  match: MATCH_KEYS,
  rule: RULE_KEYS,
  when: WHEN_KEYS,
  test: TEST_KEYS,
  params: PARAM_KEYS,
} as const;
export type PolicyMappingKind = keyof typeof POLICY_FILE_SHAPE;

export interface RawRule {
  index: number;
  action: Action;
  message?: string;
  when: Partial<Record<ConditionKey, SourcePattern[]>> & { default?: boolean };
  whenPresent: boolean;
  span: Span;
  actionSpan: Span;
  whenSpan: Span;
}

export interface RawPolicy {
  name: string;
  description?: string;
  priority?: number;
  enabled: boolean;
  match: { tool?: SourcePattern[]; agent?: SourcePattern[]; session?: SourcePattern[] };
  rules: RawRule[];
  span: Span;
  nameSpan: Span;
}

export interface RawPolicyFile {
  defaultAction?: { action: Action; span: Span };
  policies: RawPolicy[];
  tests: PolicyTestCase[];
  /** Set for a test-suite file: `{policy: <relative path>, tests: [...]}`. */
  suitePolicy?: SourcePattern;
}

type Rec = Map<string, Pair<Node, Node | null>>;

/** Collects diagnostics while reading typed values out of yaml nodes. */
class Reader {
  readonly diagnostics: PolicyDiagnostic[] = [];

  constructor(readonly src: SourceText) {}

  span(node: Node | null | undefined, fallback?: Span): Span {
    const r = node?.range;
    if (r) return { file: this.src.file, start: r[0], end: r[1] };
    return fallback ?? { file: this.src.file, start: 0, end: 0 };
  }

  report(span: Span, severity: 'error' | 'warning', code: string, message: string, hint?: string): void {
    this.diagnostics.push(this.src.diagnostic(span.start, span.end, severity, code, message, hint));
  }

  error(node: Node | null | undefined, code: string, message: string, hint?: string, fallback?: Span): void {
    // An alias is not the value it names here: say so, rather than that the value has the wrong type.
    if (code === 'wrong-type' && isAlias(node)) this.report(this.span(node, fallback), 'error', 'alias', `${message.replace(/ must be .*$/, '')}: YAML aliases are not supported in policies`, 'write the value out');
    else this.report(this.span(node, fallback), 'error', code, message, hint);
  }

  /** A mapping's entries by key; unknown keys are reported with a hint. */
  record(node: Node | null | undefined, what: string, allowed: readonly string[], fallback?: Span): Rec | undefined {
    if (!isMap(node)) {
      this.error(node, 'wrong-type', `${what} must be a mapping`, undefined, fallback);
      return undefined;
    }
    const out: Rec = new Map();
    for (const pair of (node as YAMLMap<Node, Node | null>).items) {
      const key = pair.key;
      if (!isScalar(key) || typeof key.value !== 'string') {
        this.error(key, 'wrong-type', `keys of ${what} must be strings`, undefined, this.span(node));
        continue;
      }
      if (!allowed.includes(key.value)) {
        this.error(key, 'unknown-key', `unknown key "${key.value}" in ${what}`, suggest(key.value, allowed));
        continue;
      }
      out.set(key.value, pair);
    }
    return out;
  }

  scalar(node: Node | null | undefined, what: string, type: 'string' | 'boolean' | 'number', fallback?: Span): unknown {
    if (!isScalar(node) || typeof node.value !== type) {
      const got = node == null || (isScalar(node) && node.value == null) ? 'nothing' : isScalar(node) ? typeof node.value : isSeq(node) ? 'a list' : 'a mapping';
      this.error(node, 'wrong-type', `${what} must be a ${type}, got ${got}`, undefined, fallback);
      return undefined;
    }
    return node.value;
  }

  string(node: Node | null | undefined, what: string, fallback?: Span): string | undefined {
    return this.scalar(node, what, 'string', fallback) as string | undefined;
  }

  /** A string or a list of strings (pattern lists). */
  patterns(node: Node | null | undefined, what: string, fallback?: Span): SourcePattern[] | undefined {
    if (isSeq(node)) {
      const out: SourcePattern[] = [];
      for (const item of node.items as (Node | null)[]) {
        const v = this.string(item, `each entry of ${what}`, this.span(node));
        if (v !== undefined) out.push({ value: v, span: this.span(item, this.span(node)) });
      }
      return out;
    }
    if (isScalar(node) && typeof node.value === 'string') return [{ value: node.value, span: this.span(node) }];
    this.error(node, 'wrong-type', `${what} must be a string or a list of strings`, undefined, fallback);
    return undefined;
  }

  action(node: Node | null | undefined, what: string, fallback?: Span): Action | undefined {
    const v = this.string(node, what, fallback);
    if (v === undefined) return undefined;
    if (!(ACTIONS as readonly string[]).includes(v)) {
      this.error(node, 'unknown-action', `unknown action "${v}" in ${what} (expected allow, deny, ask or watch)`, suggest(v, CURRENT_ACTIONS));
      return undefined;
    }
    if (v === 'log') {
      this.report(this.span(node), 'warning', 'deprecated-log', '"log" is a deprecated alias of "watch"', 'write watch');
      return 'watch';
    }
    return v as Action;
  }

  list(node: Node | null | undefined, what: string, fallback?: Span): (Node | null)[] {
    if (node == null || (isScalar(node) && node.value == null)) return [];
    if (!isSeq(node)) {
      this.error(node, 'wrong-type', `${what} must be a list`, undefined, fallback);
      return [];
    }
    return node.items as (Node | null)[];
  }
}

/** Validates a parsed document and extracts its policies and tests. */
export function readPolicyDocument(doc: Document, src: SourceText): { file: RawPolicyFile; diagnostics: PolicyDiagnostic[] } {
  const r = new Reader(src);
  const file: RawPolicyFile = { policies: [], tests: [] };
  const root = doc.contents as Node | null;
  if (root == null || (isScalar(root) && root.value == null)) return { file, diagnostics: r.diagnostics };
  const isSuite = isMap(root) && root.has('policy') && !root.has('policies');
  const top = r.record(root, isSuite ? 'the test suite' : 'the policy file', isSuite ? SUITE_KEYS : TOP_KEYS);
  if (!top) return { file, diagnostics: r.diagnostics };

  if (isSuite) {
    const p = top.get('policy')!;
    const v = r.string(p.value, 'policy', r.span(p.key as Node));
    if (v !== undefined) file.suitePolicy = { value: v, span: r.span(p.value) };
  }
  const version = top.get('version');
  if (version) {
    const v = isScalar(version.value) ? version.value.value : undefined;
    if (v !== '1' && v !== 1) r.error(version.value, 'bad-version', `unsupported version ${JSON.stringify(v ?? null)} (expected "1")`, undefined, r.span(version.key as Node));
  }
  const def = top.get('default_action');
  if (def) {
    const a = r.action(def.value, 'default_action', r.span(def.key as Node));
    if (a) file.defaultAction = { action: a, span: r.span(def.value) };
  }
  const names = new Map<string, Span>();
  const policies = top.get('policies');
  if (policies) {
    for (const item of r.list(policies.value, 'policies', r.span(policies.key as Node))) {
      const p = readPolicy(r, item);
      if (!p) continue;
      const prev = names.get(p.name);
      if (prev) {
        r.report(p.nameSpan, 'error', 'duplicate-policy', `duplicate policy name "${p.name}" (first defined at line ${src.lineOf(prev.start)})`);
        continue;
      }
      names.set(p.name, p.nameSpan);
      file.policies.push(p);
    }
  }
  const tests = top.get('tests');
  if (tests) {
    for (const item of r.list(tests.value, 'tests', r.span(tests.key as Node))) {
      const t = readTestCase(r, item);
      if (t) file.tests.push(t);
    }
  }
  return { file, diagnostics: r.diagnostics };
}

/**
 * Whether a list item is the other list's kind (a policy under `tests:`, a test
 * case under `policies:`): every key is of that kind and one is its own. One
 * error saying where it belongs reads better than an error per key.
 */
function belongsElsewhere(r: Reader, node: Node | null, kind: { keys: readonly string[]; own: readonly string[]; name: string; list: string; here: string }): boolean {
  if (!isMap(node)) return false;
  const keys = (node as YAMLMap<Node, unknown>).items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
  if (!keys.some((k) => kind.own.includes(k)) || !keys.every((k) => kind.keys.includes(k))) return false;
  r.error(node, 'misplaced', `this item is ${kind.name}, but it is under "${kind.here}:"`, `move it under "${kind.list}:"`);
  return true;
}

function readPolicy(r: Reader, node: Node | null): RawPolicy | undefined {
  const span = r.span(node);
  if (belongsElsewhere(r, node, { keys: TEST_KEYS, own: ['params', 'expect', 'expect_message'], name: 'a test case', list: 'tests', here: 'policies' })) return undefined;
  const rec = r.record(node, 'a policy', POLICY_KEYS);
  if (!rec) return undefined;
  const namePair = rec.get('name');
  if (!namePair) {
    r.error(node, 'missing-key', 'policy has no "name"');
    return undefined;
  }
  const name = r.string(namePair.value, 'name', r.span(namePair.key as Node));
  if (name === undefined) return undefined;
  if (!name.trim()) {
    r.error(namePair.value, 'empty-name', 'policy name is empty');
    return undefined;
  }
  const policy: RawPolicy = { name, enabled: true, match: {}, rules: [], span, nameSpan: r.span(namePair.value) };
  const desc = rec.get('description');
  if (desc) policy.description = r.string(desc.value, 'description', r.span(desc.key as Node));
  const prio = rec.get('priority');
  if (prio) {
    const v = r.scalar(prio.value, 'priority', 'number', r.span(prio.key as Node)) as number | undefined;
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) r.error(prio.value, 'bad-priority', `priority must be a whole number ≥ 0, got ${v}`);
    else policy.priority = v;
  }
  const enabled = rec.get('enabled');
  if (enabled) policy.enabled = (r.scalar(enabled.value, 'enabled', 'boolean', r.span(enabled.key as Node)) as boolean | undefined) ?? true;
  const match = rec.get('match');
  if (match) {
    const m = r.record(match.value, 'match', MATCH_KEYS, r.span(match.key as Node));
    for (const key of MATCH_KEYS as ('tool' | 'agent' | 'session')[]) {
      const pair = m?.get(key);
      if (pair) policy.match[key] = r.patterns(pair.value, `match.${key}`, r.span(pair.key as Node));
    }
  }
  const rules = rec.get('rules');
  if (rules) {
    r.list(rules.value, 'rules', r.span(rules.key as Node)).forEach((item, index) => {
      const rule = readRule(r, item, index);
      if (rule) policy.rules.push(rule);
    });
  }
  return policy;
}

function readRule(r: Reader, node: Node | null, index: number): RawRule | undefined {
  const span = r.span(node);
  const rec = r.record(node, 'a rule', RULE_KEYS);
  if (!rec) return undefined;
  const actionPair = rec.get('action');
  if (!actionPair) {
    r.error(node, 'missing-key', 'rule has no "action"');
    return undefined;
  }
  const action = r.action(actionPair.value, 'action', r.span(actionPair.key as Node));
  // Read on after a bad action so that every error of the rule is reported.
  const rule: RawRule = { index, action: action ?? 'deny', when: {}, whenPresent: false, span, actionSpan: r.span(actionPair.value), whenSpan: span };
  const msg = rec.get('message');
  if (msg) rule.message = r.string(msg.value, 'message', r.span(msg.key as Node));
  const when = rec.get('when');
  if (when) {
    rule.whenPresent = true;
    rule.whenSpan = r.span(when.value, r.span(when.key as Node));
    const v = when.value;
    if (v != null && !(isScalar(v) && v.value == null)) {
      const before = r.diagnostics.length;
      const w = r.record(v, 'when', WHEN_KEYS);
      // A `when` with a bad key is not "empty": leave the rule out rather than misjudge it.
      if (!w || r.diagnostics.length > before) return undefined;
      for (const [key, pair] of w) {
        if (key === 'default') {
          const b = r.scalar(pair.value, 'default', 'boolean', r.span(pair.key as Node)) as boolean | undefined;
          if (b !== undefined) rule.when.default = b;
        } else {
          const pats = r.patterns(pair.value, key, r.span(pair.key as Node));
          if (!pats) return undefined;
          rule.when[key as ConditionKey] = pats;
        }
      }
    }
  }
  return action ? rule : undefined;
}

function readTestCase(r: Reader, node: Node | null): PolicyTestCase | undefined {
  const span = r.span(node);
  if (belongsElsewhere(r, node, { keys: POLICY_KEYS, own: ['match', 'rules', 'priority'], name: 'a policy', list: 'policies', here: 'tests' })) return undefined;
  const rec = r.record(node, 'a test case', TEST_KEYS);
  if (!rec) return undefined;
  const str = (key: string): string | undefined => {
    const p = rec.get(key);
    return p ? r.string(p.value, key, r.span(p.key as Node)) : undefined;
  };
  const expectPair = rec.get('expect');
  if (!expectPair) {
    r.error(node, 'missing-key', 'test case has no "expect"');
    return undefined;
  }
  const expect = r.action(expectPair.value, 'expect', r.span(expectPair.key as Node));
  const params: ToolParams = {};
  const paramsPair = rec.get('params');
  if (paramsPair) {
    const v = paramsPair.value;
    if (!isMap(v)) r.error(v, 'wrong-type', 'params must be a mapping', undefined, r.span(paramsPair.key as Node));
    else {
      for (const pair of v.items as Pair<Node, Node | null>[]) {
        const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
        const val = k === undefined ? undefined : r.string(pair.value, `params.${k}`, r.span(pair.key));
        if (k !== undefined && val !== undefined) params[k] = val;
      }
    }
  }
  if (!expect) return undefined;
  const name = str('name');
  const line = r.src.lineOf(span.start);
  const tc: PolicyTestCase = { name: name ?? `line ${line}`, tool: str('tool') ?? 'exec', params, expect, span, line };
  for (const key of ['agent', 'session', 'cwd'] as const) {
    const v = str(key);
    if (v !== undefined) tc[key] = v;
  }
  const em = str('expect_message');
  if (em !== undefined) tc.expectMessage = em;
  return tc;
}
