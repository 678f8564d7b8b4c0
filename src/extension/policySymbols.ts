// The Outline view, breadcrumbs and "Go to Symbol in Editor" (Ctrl+Shift+O) of
// policy files and learned fragments: policies, rules, pattern lists and, for a
// learned rule's thousands of guard lines, one entry per binary.
import * as vscode from 'vscode';
import { policyOutline, type OutlineItem, type OutlineKind } from '../core/policy/outline';
import { isPolicyDocument } from './folders';
import { isSuiteText } from './policyCursor';

const KINDS: Record<OutlineKind, vscode.SymbolKind> = {
  setting: vscode.SymbolKind.Property,
  section: vscode.SymbolKind.Namespace,
  policy: vscode.SymbolKind.Module,
  rule: vscode.SymbolKind.Method,
  list: vscode.SymbolKind.Array,
  pattern: vscode.SymbolKind.String,
  group: vscode.SymbolKind.Key,
  test: vscode.SymbolKind.Event,
  note: vscode.SymbolKind.Null,
};

/** A policy file by name or setting, or any YAML file with a top-level `policies:` list (a learned fragment) or a test suite. */
export function isPolicyText(uri: vscode.Uri, text: string): boolean {
  return isPolicyDocument(uri) || /^policies\s*:/m.test(text) || isSuiteText(text);
}

function toSymbol(document: vscode.TextDocument, item: OutlineItem): vscode.DocumentSymbol {
  const [start, end] = item.range;
  // VS Code refuses a symbol whose selection is not inside its range.
  const from = Math.min(Math.max(item.selection[0], start), end);
  const to = Math.min(Math.max(item.selection[1], from), end);
  const at = (offset: number) => document.positionAt(offset);
  const symbol = new vscode.DocumentSymbol(item.name, item.detail, KINDS[item.kind], new vscode.Range(at(start), at(end)), new vscode.Range(at(from), at(to)));
  symbol.children = item.children.map((c) => toSymbol(document, c));
  return symbol;
}

export class PolicySymbolProvider implements vscode.DocumentSymbolProvider {
  private cached?: { uri: string; version: number; symbols: vscode.DocumentSymbol[] };

  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    const uri = document.uri.toString();
    if (this.cached?.uri === uri && this.cached.version === document.version) return this.cached.symbols;
    const text = document.getText();
    const symbols = isPolicyText(document.uri, text) ? policyOutline(text).map((item) => toSymbol(document, item)) : [];
    this.cached = { uri, version: document.version, symbols };
    return symbols;
  }
}
