import './vscode-stub';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parseDocument } from 'yaml';
import { cursorContext, nodeAt, pathByIndentation, type CursorContext } from '../../src/extension/policyCursor';
import { PolicyCompletionProvider, policyCompletions } from '../../src/extension/policyCompletion';
import { KEY_DOCS } from '../../src/extension/policyKeyDocs';
import { ACTIONS, CURRENT_ACTIONS, KNOWN_TOOLS, POLICY_FILE_SHAPE, WHEN_KEYS, RULE_KEYS, TOP_KEYS, POLICY_KEYS } from '../../src/core/policy/schema';
import { parsePolicyText } from '../../src/core/policy';
import { LineIndex } from '../../src/extension/ranges';

/** Text with `|` marking the cursor → the text without it, and the cursor's offset. */
function at(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0, 'no cursor in the text');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

function ctxOf(marked: string): CursorContext {
  const { text, offset } = at(marked);
  const c = cursorContext(text, offset);
  assert.ok(c, `no context for ${JSON.stringify(marked)}`);
  return c;
}

function labels(marked: string): string[] {
  const c = ctxOf(marked);
  const zero = new vscode.Range(new vscode.Position(0, 0), new vscode.Position(0, 0));
  return policyCompletions(c, zero).map((i) => String(i.label));
}

const RULES = 'policies:\n  - name: a\n    rules:\n';

test('the path at the cursor on valid YAML: every mapping kind, with the keys it has', () => {
  const cases: [string, string | undefined, (string | number)[], string[]][] = [
    ['version: "1"\n|', 'top', [], ['version']],
    ['version: "1"\n|\npolicies: []\n', 'top', [], ['version', 'policies']],
    ['policies:\n  - name: a\n    |\n    rules: []\n', 'policy', ['policies', 0], ['name', 'rules']],
    ['policies:\n  - name: a\n    match:\n      tool: exec\n      |\n', 'match', ['policies', 0, 'match'], ['tool']],
    [`${RULES}      - action: deny\n        |\n`, 'rule', ['policies', 0, 'rules', 0], ['action']],
    [`${RULES}      - action: deny\n        when:\n          command_matches: ["x"]\n          |\n`, 'when', ['policies', 0, 'rules', 0, 'when'], ['command_matches']],
    ['tests:\n  - name: t\n    |\n    expect: deny\n', 'test', ['tests', 0], ['name', 'expect']],
    ['tests:\n  - name: t\n    params:\n      |\n', 'params', ['tests', 0, 'params'], []],
    ['policy: ../p.yaml\n|\n', 'suite', [], ['policy']],
  ];
  for (const [marked, mapping, path, existing] of cases) {
    const c = ctxOf(marked);
    assert.equal(c.position, 'key', marked);
    assert.equal(c.mapping, mapping, marked);
    assert.deepEqual(c.path, path, marked);
    assert.deepEqual([...c.existing].sort(), [...existing].sort(), marked);
    assert.equal(c.via, 'parse', marked);
  }
});

test('the path at the cursor on half-typed lines', () => {
  // a key being typed
  let c = ctxOf(`${RULES}      - action: deny\n        wh|\n`);
  assert.deepEqual([c.position, c.mapping, c.prefix, c.existing], ['key', 'rule', 'wh', ['action']]);
  // a fresh list item
  c = ctxOf(`${RULES}      - action: deny\n      - |\n`);
  assert.deepEqual([c.mapping, c.freshItem, c.existing], ['rule', true, []]);
  c = ctxOf('policies:\n  - name: a\n  - |');
  assert.deepEqual([c.mapping, c.freshItem, c.path], ['policy', true, ['policies', 1]]);
  // values: after the colon, with or without the space, partly typed, in a flow list, as a `- ` item
  c = ctxOf(`${RULES}      - action: |\n`);
  assert.deepEqual([c.position, c.mapping, c.key, c.needsSpace], ['value', 'rule', 'action', false]);
  c = ctxOf(`${RULES}      - action:|\n`);
  assert.deepEqual([c.position, c.key, c.needsSpace], ['value', 'action', true]);
  c = ctxOf(`${RULES}      - when: {default: true}\n        action: "d|`);
  assert.deepEqual([c.key, c.prefix], ['action', 'd']);
  c = ctxOf('policies:\n  - name: a\n    match:\n      tool: [exec, r|\n');
  assert.deepEqual([c.mapping, c.key, c.listItem, c.prefix], ['match', 'tool', true, 'r']);
  c = ctxOf('policies:\n  - name: a\n    match:\n      tool:\n        - w|\n');
  assert.deepEqual([c.position, c.mapping, c.key, c.listItem], ['value', 'match', 'tool', true]);
  c = ctxOf(`${RULES}      - action: deny\n        when:\n          command_matches:\n            - gi|\n`);
  assert.deepEqual([c.position, c.key], ['value', 'command_matches']);
  // in a comment: nothing
  assert.equal(cursorContext('# a comment here\n', 8), undefined);
});

test('when the parse cannot place the cursor, the indentation does', () => {
  // A blank line at the dash column of `policies:`: a new item still needing its `- `.
  let c = ctxOf('policies:\n  - name: a\n    rules: []\n  |\n');
  assert.deepEqual([c.via, c.mapping, c.path, c.freshItem, c.needsDash], ['indentation', 'policy', ['policies', 0], true, true]);
  // A line the parser reads otherwise: an unclosed quote above makes the cursor's line part of a string.
  c = ctxOf(`${RULES}      - action: deny\n        message: "unclosed\n        |\n`);
  assert.deepEqual([c.via, c.mapping, c.path], ['indentation', 'rule', ['policies', 0, 'rules', 0]]);
  assert.deepEqual([...c.existing].sort(), ['action', 'message']);
  // The indentation reading agrees with the parse on every key line of the shipped standard policy and the e2e fixture.
  for (const file of ['policies/standard.yaml', 'test/e2e/fixtures/rampart.yaml']) {
    const text = readFileSync(join(__dirname, '../..', file), 'utf8');
    const doc = parseDocument(text);
    const lines = text.split('\n');
    let offset = 0;
    let checked = 0;
    for (let i = 0; i < lines.length; i++) {
      const m = /^( *)((?:- +)*)([\w-]+):/.exec(lines[i]!);
      if (m) {
        const column = m[1]!.length + m[2]!.length;
        const hit = nodeAt(doc, offset + column);
        assert.ok(hit?.isKey, `${file}:${i + 1}`);
        const want = hit.path.slice(0, -1).map((s) => (typeof s === 'number' ? 0 : s));
        const got = pathByIndentation(lines, i, column, !!m[2]).path;
        assert.deepEqual(got, want, `${file}:${i + 1}: ${lines[i]}`);
        checked++;
      }
      offset += lines[i]!.length + 1;
    }
    assert.ok(checked > 20, `${file}: only ${checked} key lines`);
  }
});

test('the keys offered come from the core schema, without the keys already present', () => {
  assert.deepEqual(labels('|'), [...TOP_KEYS]);
  assert.deepEqual(labels('version: "1"\npolicies: []\n|'), TOP_KEYS.filter((k) => k !== 'version' && k !== 'policies'));
  assert.deepEqual(labels('policies:\n  - name: a\n    enabled: true\n    |\n'), POLICY_KEYS.filter((k) => k !== 'name' && k !== 'enabled'));
  assert.deepEqual(labels('policies:\n  - name: a\n    match:\n      |\n'), ['tool', 'agent', 'session']);
  assert.deepEqual(labels(`${RULES}      - action: deny\n        |\n`), RULE_KEYS.filter((k) => k !== 'action'));
  assert.deepEqual(labels(`${RULES}      - action: deny\n        when:\n          command_matches: ["x"]\n          |\n`), WHEN_KEYS.filter((k) => k !== 'command_matches'));
  assert.deepEqual(labels('tests:\n  - name: t\n    |\n'), POLICY_FILE_SHAPE.test.filter((k) => k !== 'name'));
  // The key being typed is not "already present"; a key below the cursor is.
  assert.deepEqual(labels(`${RULES}      - ac|\n        message: m\n`), ['action', 'when']);
  // Each label once, each with a one-line meaning.
  for (const marked of ['|', 'policies:\n  - |', `${RULES}      - |`, `${RULES}      - action: deny\n        when:\n          |`]) {
    const items = policyCompletions(ctxOf(marked), new vscode.Range(new vscode.Position(0, 0), new vscode.Position(0, 0)));
    const names = items.map((i) => i.label);
    assert.equal(new Set(names).size, names.length, `duplicates in ${names}`);
    for (const i of items) {
      const doc = (i.documentation as vscode.MarkdownString).value;
      assert.ok(doc && !doc.includes('\n'), `${i.label}: ${doc}`);
    }
  }
  // Every key the loader accepts has its meaning written down.
  for (const [kind, keys] of Object.entries(POLICY_FILE_SHAPE)) for (const k of keys) assert.ok(KEY_DOCS[kind as keyof typeof KEY_DOCS][k], `${kind}.${k}`);
});

test('values: the current actions (not the deprecated log), the tools, booleans', () => {
  const actions = [...CURRENT_ACTIONS];
  assert.ok((ACTIONS as readonly string[]).includes('log') && !actions.includes('log' as never));
  assert.deepEqual(labels(`${RULES}      - action: |`), actions);
  assert.deepEqual(labels('version: "1"\ndefault_action: |\n'), actions);
  assert.deepEqual(labels('tests:\n  - name: t\n    expect: |\n'), actions);
  assert.deepEqual(labels('policies:\n  - name: a\n    match:\n      tool: |\n'), [...KNOWN_TOOLS]);
  assert.deepEqual(labels('policies:\n  - name: a\n    match:\n      tool: [exec, |]\n'), [...KNOWN_TOOLS]);
  assert.deepEqual(labels('tests:\n  - tool: |\n'), [...KNOWN_TOOLS]);
  assert.deepEqual(labels('policies:\n  - name: a\n    enabled: |\n'), ['true', 'false']);
  assert.deepEqual(labels(`${RULES}      - action: deny\n        message: |`), []);
  // `action:|`: the value gets its space.
  const c = ctxOf(`${RULES}      - action:|`);
  const items = policyCompletions(c, new vscode.Range(new vscode.Position(0, 0), new vscode.Position(0, 0)));
  assert.equal(items[0]!.insertText, ' allow');
});

/** Applies a snippet as VS Code does (placeholders → their defaults, new lines indented like the cursor's line). */
function insertSnippet(marked: string, label: string, fill: string): string {
  const { text, offset } = at(marked);
  const c = cursorContext(text, offset)!;
  const item = policyCompletions(c, new vscode.Range(new vscode.Position(0, 0), new vscode.Position(0, 0))).find((i) => i.label === label);
  assert.ok(item, `${label} not offered`);
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const indent = /^\s*/.exec(text.slice(lineStart))![0].replace(/-.*/, '');
  const body = (item.insertText as vscode.SnippetString).value
    .replace(/\$\{\d+\|([^,|]+)[^}]*\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, fill)
    .split('\n')
    .map((l, i) => (i === 0 ? l : indent.slice(0, c.lineIndent) + l))
    .join('\n');
  return text.slice(0, c.prefixStart) + body + text.slice(c.wordEnd);
}

test('snippets for a new policy and a new rule make a policy that loads', () => {
  const base = 'version: "1"\npolicies:\n  - name: first\n    rules:\n      - action: allow\n';
  for (const [marked, label] of [
    [`${base}  - |\n`, 'New policy'],
    [`${base}  |\n`, 'New policy'],
    [`${base}      - |\n`, 'New rule'],
  ] as const) {
    const out = insertSnippet(marked, label, 'git *');
    const { diagnostics } = parsePolicyText(out, 'rampart.yaml');
    assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), [], out);
  }
  assert.deepEqual(labels(`${base}  |\n`), ['New policy']);
  // Not offered in a mapping that has keys already.
  assert.ok(!labels(`${base}      - action: deny\n        |`).includes('New rule'));
});

function documentOf(text: string, file = '/ws/rampart.yaml') {
  const index = new LineIndex(text);
  return {
    uri: vscode.Uri.file(file),
    version: 1,
    getText: () => text,
    positionAt: (o: number) => index.position(o),
    offsetAt: (p: vscode.Position) => text.split('\n').slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character,
  } as unknown as vscode.TextDocument;
}

test('the provider: policy files only; a typed space asks only after `key:` or `- `', () => {
  const provider = new PolicyCompletionProvider();
  const { text, offset } = at(`${RULES}      - action: |`);
  const doc = documentOf(text);
  const pos = doc.positionAt(offset);
  const typed = { triggerKind: vscode.CompletionTriggerKind.TriggerCharacter, triggerCharacter: ' ' } as vscode.CompletionContext;
  assert.deepEqual(provider.provideCompletionItems(doc, pos, undefined, typed)?.map((i) => i.label), [...CURRENT_ACTIONS]);
  const range = provider.provideCompletionItems(doc, pos)![0]!.range as vscode.Range;
  assert.deepEqual([range.start.line, range.start.character], [pos.line, pos.character]);
  const inMessage = at(`${RULES}      - message: two words |`);
  assert.equal(provider.provideCompletionItems(documentOf(inMessage.text), documentOf(inMessage.text).positionAt(inMessage.offset), undefined, typed), undefined);
  assert.equal(provider.provideCompletionItems(documentOf(text, '/ws/other.yaml'), pos), undefined);
});

test('CRLF line endings and a U+2028 in a line: the path read from indentation, nothing throws', () => {
  // Each line of a CRLF file ends in `\r`, which `.` in a regular expression does not match.
  const policyLine = 'policies:\r\n  - name: a\r\n    rules:\r\n      - action: deny\r\n  ';
  assert.equal(cursorContext(policyLine, policyLine.length)?.mapping, 'policy');
  const brokenQuote = 'policies:\r\n  - name: "a\r\n    rules:\r\n      - action: ';
  const value = cursorContext(brokenQuote, brokenQuote.length)!;
  assert.equal(value.mapping, 'rule');
  assert.equal(value.key, 'action');
  const openMessage = 'policies:\r\n  - name: a\r\n    rules:\r\n      - action: deny\r\n        message: "x\r\n        ';
  assert.equal(cursorContext(openMessage, openMessage.length)?.mapping, 'rule');
  const uni = 'policies:\n  - name: "a\u2028b\n    rules:\n      - action: deny\n  ';
  assert.equal(cursorContext(uni, uni.length)?.mapping, 'policy');
});

test('values in a flow mapping: `match: { tool: | }`, a flow list in it, a rule written in flow style', () => {
  assert.deepEqual(labels('policies:\n  - name: a\n    match: { tool: | }\n'), [...KNOWN_TOOLS]);
  assert.deepEqual(labels('policies:\n  - name: a\n    match: { tool: [exec, re|] }\n'), [...KNOWN_TOOLS]);
  assert.deepEqual(labels('policies:\n  - name: a\n    rules: [{ action: |, when: {} }]\n'), [...CURRENT_ACTIONS]);
  assert.equal(ctxOf('policies:\n  - name: a\n    match: { tool: ex| }\n').prefix, 'ex');
  // A brace in a quoted value is not a flow mapping.
  const quoted = 'policies:\n  - name: a\n    description: "x {y: z';
  assert.equal(cursorContext(quoted, quoted.length), undefined);
});

test('keys in a flow mapping: the keys it lacks, inserted on the line in flow style', () => {
  const match = 'policies:\n  - name: a\n    match: { tool: exec, | }\n';
  assert.deepEqual(labels(match), ['agent', 'session']);
  assert.deepEqual(labels('policies:\n  - name: a\n    match: { | }\n'), ['tool', 'agent', 'session']);
  const rule = 'policies:\n  - name: a\n    rules:\n      - { action: deny, wh| }\n';
  assert.equal(ctxOf(rule).prefix, 'wh');
  const zero = new vscode.Range(new vscode.Position(0, 0), new vscode.Position(0, 0));
  const insert = (marked: string, label: string) => (policyCompletions(ctxOf(marked), zero).find((i) => i.label === label)!.insertText as vscode.SnippetString).value;
  // No line breaks: a block under a flow mapping's key would not parse.
  assert.equal(insert(rule, 'when'), 'when: { $0 }');
  assert.equal(insert(rule, 'message'), 'message: $0');
  const when = 'policies:\n  - name: a\n    rules:\n      - action: deny\n        when: { command_matches: ["x"], | }\n';
  assert.ok(!labels(when).includes('command_matches'), 'a key the mapping has is not offered again');
  assert.equal(insert(when, 'path_matches'), 'path_matches: ["$0"]');
  assert.equal(insert('policies:\n  - { name: a, | }\n', 'rules'), 'rules: [$0]');
  // A key being typed before its colon is completed in place.
  assert.deepEqual(ctxOf('policies:\n  - name: a\n    match: { to|: exec }\n').existing, []);
});
