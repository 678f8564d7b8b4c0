// Completion in policy files: the keys valid where the cursor is (those the
// mapping has already are left out), the values of actions, tools and
// booleans, and snippets for a new policy and a new rule. The keys come from
// the core's schema (POLICY_FILE_SHAPE), so completion offers what the loader accepts.
import * as vscode from 'vscode';
import { CURRENT_ACTIONS, KNOWN_TOOLS, type PolicyMappingKind } from '../core/policy/schema';
import { isPolicyDocument } from './folders';
import { cursorContext, keysOfMapping, type CursorContext } from './policyCursor';
import { ACTION_DOCS, isActionKey, KEY_DOCS, TOOL_DOCS } from './policyKeyDocs';

/** Keys whose value is a mapping, a list of mappings, or one of a few words (suggested again once the key is in). */
const MAPPING_KEYS = new Set(['match', 'when', 'params']);
const LIST_KEYS = new Set(['policies', 'rules', 'tests']);

const TRIGGER_SUGGEST = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

function markdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text);
  md.isTrusted = false;
  return md;
}

/** Values offered for a key: the current actions, the tools, booleans. */
function valuesFor(mapping: PolicyMappingKind | undefined, key: string): { value: string; doc: string }[] {
  if (isActionKey(mapping, key)) return CURRENT_ACTIONS.map((a) => ({ value: a, doc: ACTION_DOCS[a]! }));
  if ((mapping === 'match' || mapping === 'test') && key === 'tool') return KNOWN_TOOLS.map((t) => ({ value: t, doc: TOOL_DOCS[t]! }));
  if (mapping === 'policy' && key === 'enabled') return [{ value: 'true', doc: 'The policy is in force (the default).' }, { value: 'false', doc: 'The policy is skipped.' }];
  if (mapping === 'when' && key === 'default') return [{ value: 'true', doc: KEY_DOCS.when.default! }];
  if (mapping === 'top' && key === 'version') return [{ value: '"1"', doc: KEY_DOCS.top.version! }];
  return [];
}

/** Whether a key's value is offered as a choice after it is inserted. */
function hasValues(mapping: PolicyMappingKind, key: string): boolean {
  return valuesFor(mapping, key).length > 1;
}

/** Snippet lines after the first are indented from the line's own indentation: add what lies between it and the key. */
function indentedSnippet(lines: string[], ctx: CursorContext, dash = ''): vscode.SnippetString {
  const extra = ' '.repeat(ctx.keyColumn - ctx.lineIndent + dash.length);
  return new vscode.SnippetString(dash + lines.map((l, i) => (i === 0 ? l : extra + l)).join('\n'));
}

function keySnippet(mapping: PolicyMappingKind, key: string, ctx: CursorContext): vscode.SnippetString {
  if (ctx.flow && MAPPING_KEYS.has(key)) return new vscode.SnippetString(`${key}: { $0 }`);
  if (ctx.flow && LIST_KEYS.has(key)) return new vscode.SnippetString(`${key}: [$0]`);
  if (MAPPING_KEYS.has(key)) return indentedSnippet([`${key}:`, '  $0'], ctx);
  if (LIST_KEYS.has(key)) return indentedSnippet([`${key}:`, '  - $0'], ctx);
  if (mapping === 'when' && key !== 'default') return new vscode.SnippetString(`${key}: ["$0"]`);
  if (mapping === 'when' && key === 'default') return new vscode.SnippetString('default: true');
  if (key === 'version') return new vscode.SnippetString('version: "1"');
  return new vscode.SnippetString(`${key}: $0`);
}

const choice = (n: number, values: readonly string[]) => `\${${n}|${values.join(',')}|}`;

/** A rule's lines (action, when, message), its tab stops numbered from `first`; deny is the first action offered. */
function ruleLines(first: number): string[] {
  return [
    `action: ${choice(first, ['deny', ...CURRENT_ACTIONS.filter((a) => a !== 'deny')])}`,
    'when:',
    `  command_matches: ["$${first + 1}"]`,
    `message: \${${first + 2}:why this rule exists}`,
  ];
}

/** A new policy: a name, the tool it applies to, and one rule. */
export function policySnippet(ctx: CursorContext): vscode.CompletionItem {
  const item = new vscode.CompletionItem('New policy', vscode.CompletionItemKind.Snippet);
  item.insertText = indentedSnippet(
    [
      'name: ${1:my-policy}',
      'match:',
      `  tool: ${choice(2, KNOWN_TOOLS)}`,
      'rules:',
      ...ruleLines(3).map((l, i) => (i === 0 ? '  - ' : '    ') + l),
    ],
    ctx,
    ctx.needsDash ? '- ' : '',
  );
  item.detail = 'name, match.tool and one rule';
  item.documentation = markdown('A policy skeleton: a unique `name`, the `tool` it applies to, and a first rule.');
  item.sortText = '0';
  return item;
}

/** A new rule: an action, a condition and a message. */
export function ruleSnippet(ctx: CursorContext): vscode.CompletionItem {
  const item = new vscode.CompletionItem('New rule', vscode.CompletionItemKind.Snippet);
  item.insertText = indentedSnippet(ruleLines(1), ctx);
  item.detail = 'action, when and message';
  item.documentation = markdown('A rule skeleton: its `action`, a `when` condition and the `message` reported with the decision.');
  item.sortText = '0';
  return item;
}

/** The completion items for a cursor context, replacing `range` (the word typed so far). */
export function policyCompletions(ctx: CursorContext, range: vscode.Range): vscode.CompletionItem[] {
  const out: vscode.CompletionItem[] = [];
  if (ctx.position === 'value') {
    valuesFor(ctx.mapping, ctx.key!).forEach(({ value, doc }, i) => {
      const item = new vscode.CompletionItem(value, vscode.CompletionItemKind.EnumMember);
      if (ctx.needsSpace) item.insertText = ` ${value}`;
      item.documentation = markdown(doc);
      item.range = range;
      item.sortText = String(i).padStart(2, '0');
      out.push(item);
    });
    return out;
  }
  const mapping = ctx.mapping;
  if (!mapping) return out;
  if (ctx.freshItem && mapping === 'policy') out.push(policySnippet(ctx));
  if (ctx.freshItem && mapping === 'rule') out.push(ruleSnippet(ctx));
  // A blank line at a list's dash column takes a whole item only.
  if (ctx.needsDash) return out.map((i) => Object.assign(i, { range }));
  const taken = new Set(ctx.existing);
  keysOfMapping(mapping).forEach((key, i) => {
    if (taken.has(key)) return;
    const item = new vscode.CompletionItem(key, vscode.CompletionItemKind.Property);
    item.insertText = keySnippet(mapping, key, ctx);
    item.documentation = markdown(KEY_DOCS[mapping][key] ?? '');
    item.detail = `${mapping === 'top' ? 'top-level' : mapping} key`;
    item.sortText = `1${String(i).padStart(2, '0')}`;
    if (hasValues(mapping, key) || LIST_KEYS.has(key)) item.command = TRIGGER_SUGGEST;
    out.push(item);
  });
  for (const item of out) item.range = range;
  return out;
}

export class PolicyCompletionProvider implements vscode.CompletionItemProvider {
  /** A space after `key:` or `- ` opens the values or keys; typing goes on to filter them. */
  static readonly triggerCharacters = [' '];

  provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position, _token?: vscode.CancellationToken, context?: vscode.CompletionContext): vscode.CompletionItem[] | undefined {
    if (!isPolicyDocument(doc.uri)) return undefined;
    const offset = doc.offsetAt(position);
    const text = doc.getText();
    if (context?.triggerKind === vscode.CompletionTriggerKind.TriggerCharacter && !/(:|^\s*-) $/.test(text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset))) return undefined;
    const ctx = cursorContext(text, offset);
    if (!ctx) return undefined;
    const range = new vscode.Range(doc.positionAt(ctx.prefixStart), doc.positionAt(Math.max(ctx.wordEnd, ctx.prefixStart)));
    return policyCompletions(ctx, range);
  }
}
