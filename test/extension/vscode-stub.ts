// A small stand-in for the `vscode` module, covering only the value classes
// the glue under test constructs (positions, ranges, diagnostics). They behave
// like VS Code's own for that subset; anything else is absent on purpose, so a
// test touching it fails loudly instead of passing on a fake.
import Module from 'node:module';

export class Position {
  constructor(readonly line: number, readonly character: number) {
    if (line < 0 || character < 0) throw new Error('Illegal argument: negative position');
  }
  isEqual(o: Position): boolean {
    return o.line === this.line && o.character === this.character;
  }
  isBefore(o: Position): boolean {
    return this.line < o.line || (this.line === o.line && this.character < o.character);
  }
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position, b: Position) {
    // VS Code orders the ends of a range.
    [this.start, this.end] = b.isBefore(a) ? [b, a] : [a, b];
  }
  get isEmpty(): boolean {
    return this.start.isEqual(this.end);
  }
  isEqual(o: Range): boolean {
    return this.start.isEqual(o.start) && this.end.isEqual(o.end);
  }
}

export class Uri {
  private constructor(readonly scheme: string, readonly fsPath: string) {}
  static file(path: string): Uri {
    return new Uri('file', path);
  }
  toString(): string {
    return `${this.scheme}://${this.fsPath}`;
  }
}

export class Location {
  constructor(readonly uri: Uri, readonly range: Range) {}
}

export enum DiagnosticSeverity {
  Error = 0,
  Warning = 1,
  Information = 2,
  Hint = 3,
}

export class DiagnosticRelatedInformation {
  constructor(readonly location: Location, readonly message: string) {}
}

export class Diagnostic {
  source?: string;
  code?: string | number;
  relatedInformation?: DiagnosticRelatedInformation[];
  constructor(readonly range: Range, readonly message: string, readonly severity = DiagnosticSeverity.Error) {}
}

export class MarkdownString {
  isTrusted?: boolean;
  supportHtml?: boolean;
  constructor(public value = '') {}
}

export class SnippetString {
  constructor(readonly value = '') {}
}

export enum CompletionItemKind {
  Property = 9,
  EnumMember = 19,
  Snippet = 14,
}

export enum CompletionTriggerKind {
  Invoke = 0,
  TriggerCharacter = 1,
}

export class CompletionItem {
  insertText?: string | SnippetString;
  documentation?: string | MarkdownString;
  detail?: string;
  sortText?: string;
  range?: Range;
  command?: { title: string; command: string };
  constructor(readonly label: string, readonly kind?: CompletionItemKind) {}
}

export class Hover {
  constructor(readonly contents: MarkdownString, readonly range?: Range) {}
}

export class CodeActionKind {
  static readonly QuickFix = new CodeActionKind('quickfix');
  private constructor(readonly value: string) {}
}

export class CodeAction {
  edit?: WorkspaceEdit;
  command?: { title: string; command: string; arguments?: unknown[] };
  diagnostics?: Diagnostic[];
  isPreferred?: boolean;
  constructor(readonly title: string, readonly kind?: CodeActionKind) {}
}

/** Records the replacements, in the order they were made. */
export class WorkspaceEdit {
  readonly replacements: { uri: Uri; range: Range; newText: string; metadata?: { label: string; needsConfirmation: boolean } }[] = [];
  replace(uri: Uri, range: Range, newText: string, metadata?: { label: string; needsConfirmation: boolean }): void {
    this.replacements.push({ uri, range, newText, metadata });
  }
}

/** Registered command handlers by id; `executeCommand` runs one as VS Code would. */
const commandHandlers = new Map<string, (...args: unknown[]) => unknown>();
export const commands = {
  registerCommand(id: string, handler: (...args: unknown[]) => unknown) {
    if (commandHandlers.has(id)) throw new Error(`command '${id}' already exists`);
    commandHandlers.set(id, handler);
    return { dispose: () => void commandHandlers.delete(id) };
  },
  async executeCommand(id: string, ...args: unknown[]): Promise<unknown> {
    const handler = commandHandlers.get(id);
    if (!handler) throw new Error(`command '${id}' not found`);
    return handler(...args);
  },
};

/**
 * Documents `openTextDocument` can open (by fsPath), the edits `applyEdit` was
 * given (`applyResult` is its answer: false for a refused or discarded edit),
 * and settings by full key for `getConfiguration`.
 */
export const workspace = {
  documents: new Map<string, unknown>(),
  applied: [] as WorkspaceEdit[],
  applyResult: true,
  settings: new Map<string, unknown>(),
  getConfiguration(section: string) {
    return { get: <T>(key: string, fallback: T): T => (workspace.settings.get(`${section}.${key}`) as T | undefined) ?? fallback };
  },
  /** No folders: files outside every folder (a policy is then recognised by its name only). */
  getWorkspaceFolder(_uri: Uri): undefined {
    return undefined;
  },
  async openTextDocument(uri: Uri): Promise<unknown> {
    const doc = workspace.documents.get(uri.fsPath);
    if (!doc) throw new Error(`cannot open ${uri.fsPath}`);
    return doc;
  },
  async applyEdit(edit: WorkspaceEdit): Promise<boolean> {
    workspace.applied.push(edit);
    return workspace.applyResult;
  },
};

export class ThemeIcon {
  constructor(readonly id: string) {}
}

/** VS Code's event emitter: `event` subscribes and returns a disposable; `fire` calls the listeners in order. */
export class EventEmitter<T> {
  private listeners: ((e: T) => void)[] = [];
  readonly event = (listener: (e: T) => void) => {
    this.listeners.push(listener);
    return { dispose: () => void (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

/** A command run through a terminal's shell integration. */
export interface StubExecution {
  commandLine: string;
}

/**
 * A terminal that records what the extension gave and did to it; disposing it
 * closes it, as in VS Code. Its shell integration is active from the start
 * (commands it runs are recorded in `sent` too); `endExecution` ends one.
 */
export interface StubTerminal {
  name: string;
  options: { name: string; env?: Record<string, string>; cwd?: Uri };
  sent: string[];
  executions: StubExecution[];
  shown: boolean;
  /** Undefined for a terminal created while `window.withoutShellIntegration` is set. */
  shellIntegration?: { executeCommand(commandLine: string): StubExecution };
  show(): void;
  sendText(text: string): void;
  dispose(): void;
}

const closedTerminal = new EventEmitter<StubTerminal>();
const endedExecution = new EventEmitter<{ terminal: StubTerminal; execution: StubExecution; exitCode: number | undefined }>();
const startedExecution = new EventEmitter<{ terminal: StubTerminal; execution: StubExecution }>();
const changedIntegration = new EventEmitter<{ terminal: StubTerminal; shellIntegration: unknown }>();

/** Shell integration reports a command the shell started (one typed with sendText too). */
export function startExecution(terminal: StubTerminal, execution: StubExecution): void {
  startedExecution.fire({ terminal, execution });
}

/** The command `execution` of `terminal` exits, as shell integration reports it. */
export function endExecution(terminal: StubTerminal, execution: StubExecution, exitCode: number | undefined): void {
  endedExecution.fire({ terminal, execution, exitCode });
}
/** The terminals created so far, oldest first. */
export const terminals: StubTerminal[] = [];

export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}

/** A progress shown by `window.withProgress`: its options, and whether it is still on screen. */
export interface StubProgress {
  options: { location: ProgressLocation; title?: string; cancellable?: boolean };
  active: boolean;
}

export const window = {
  /** Every progress started, oldest first. */
  progress: [] as StubProgress[],
  async withProgress<R>(options: StubProgress['options'], task: (progress: { report(v: unknown): void }, token: { isCancellationRequested: boolean; onCancellationRequested(): void }) => Thenable<R>): Promise<R> {
    const shown: StubProgress = { options, active: true };
    window.progress.push(shown);
    try {
      return await task({ report: () => {} }, { isCancellationRequested: false, onCancellationRequested: () => {} });
    } finally {
      shown.active = false;
    }
  },
  /** Information messages shown, and documents shown with their options. */
  messages: [] as string[],
  shownDocuments: [] as { doc: unknown; options: unknown }[],
  /** What the next information message answers: the button pressed (undefined = dismissed). */
  messageAnswer: undefined as ((message: string, buttons: readonly string[]) => string | undefined) | undefined,
  async showInformationMessage(message: string, ...buttons: string[]): Promise<string | undefined> {
    window.messages.push(message);
    return window.messageAnswer?.(message, buttons);
  },
  async showTextDocument(doc: unknown, options: unknown): Promise<void> {
    window.shownDocuments.push({ doc, options });
  },
  /**
   * What the next `showQuickPick` answers: given the items and options, returns the one "picked"
   * (an array of them with `canPickMany`; undefined = Escape).
   */
  quickPickAnswer: undefined as ((items: readonly unknown[], options?: { canPickMany?: boolean; title?: string }) => unknown) | undefined,
  async showQuickPick<T>(items: readonly T[], options?: { canPickMany?: boolean; title?: string }): Promise<T | undefined> {
    return window.quickPickAnswer?.(items, options) as T | undefined;
  },
  activeTerminal: undefined as StubTerminal | undefined,
  onDidCloseTerminal: closedTerminal.event,
  onDidEndTerminalShellExecution: endedExecution.event,
  onDidStartTerminalShellExecution: startedExecution.event,
  onDidChangeTerminalShellIntegration: changedIntegration.event,
  /** Terminals created while set have no shell integration (yet): their shell's starts late, or never. */
  withoutShellIntegration: false,
  createTerminal(options: StubTerminal['options']): StubTerminal {
    const t: StubTerminal = {
      name: options.name,
      options,
      sent: [],
      executions: [],
      shown: false,
      shellIntegration: window.withoutShellIntegration
        ? undefined
        : {
            executeCommand: (commandLine) => {
              const execution = { commandLine };
              t.sent.push(commandLine);
              t.executions.push(execution);
              return execution;
            },
          },
      show: () => void (t.shown = true),
      sendText: (text) => void t.sent.push(text),
      dispose: () => closedTerminal.fire(t),
    };
    terminals.push(t);
    return t;
  },
};

// Resolve `import 'vscode'` to this file for everything loaded after it.
const stubPath = __filename;
const resolve = (Module as unknown as { _resolveFilename: (req: string, ...rest: unknown[]) => string })._resolveFilename;
(Module as unknown as { _resolveFilename: (req: string, ...rest: unknown[]) => string })._resolveFilename = function (req: string, ...rest: unknown[]) {
  return req === 'vscode' ? stubPath : resolve.call(this, req, ...rest);
};
