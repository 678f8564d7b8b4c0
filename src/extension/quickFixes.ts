// Quick fixes on learned-suggestion diagnostics. Each fix is a command that
// proposes the edit computed by the core merge (policyEdit.ts: for review,
// shown as a diff), run only when the user picks it. A code action's own
// `edit` would be applied by VS Code with no diff and no say in saving.
//
// Suggestions share one anchor (`policies:` until a `learned-<tool>` policy
// exists), so a request often covers many of them at once. Offering every
// ranked alternative of each would bury the menu (70+ items on a real
// transcript); past FULL_MENU_MAX suggestions the menu keeps each one's default
// alternative and moves the rest behind bulk actions and pickers.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { plural } from '../core/plural';
import { findingMessage, LEARNED_CODE, SUGGESTION_KINDS, type LearnedFinding, type SuggestionKind } from './learnedDiagnostics';
import { defaultForm, describeAlternative, learnedTextEdits, withAlternative, type LearnedPick } from './learnedEdits';
import { proposeLearned } from './learnCommands';
import type { BeforeSnapshots } from './policyEdit';
import { pickText } from './pickText';
import type { LearnState } from './learnState';
import type { PolicyDiagnostics } from './policyDiagnostics';

export const DISMISS_COMMAND = 'rampartLearn.dismissSuggestion';
export const DISMISS_ONE_COMMAND = 'rampartLearn.dismissOneSuggestion';
export const OTHER_ALTERNATIVE_COMMAND = 'rampartLearn.pickLearnedAlternative';
export const REVIEW_COMMAND = 'rampartLearn.applyLearnedRules';
export const ALLOW_COMMAND = 'rampartLearn.allowLearned';
/** The palette command; the dismissal notification names it. */
export const RESTORE_TITLE = 'Restore Dismissed Suggestions…';

/** Up to this many suggestions under the cursor, each gets all its alternatives and its own Dismiss. */
export const FULL_MENU_MAX = 3;

/** What the "dismiss one of these" picker lists (plain data: it travels as a command argument). */
export interface DismissChoice {
  id: string;
  label: string;
  description: string;
}

/** A non-default alternative the short menu leaves to its picker. */
export interface AlternativeChoice {
  label: string;
  description: string;
  /** Not `kind`: a quick-pick item's `kind` marks separators. */
  pick: LearnedPick;
}

type Findings = Pick<PolicyDiagnostics, 'findingsOf'>;
type Learned = Pick<LearnState, 'get'>;
type Log = Pick<vscode.LogOutputChannel, 'warn'>;

export class LearnedQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(
    private readonly diagnostics: Findings,
    private readonly learn: Learned,
    private readonly log: Log,
  ) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const learned = this.learn.get(doc.uri.fsPath);
    if (!learned) return [];
    const findings = this.diagnostics.findingsOf(doc.uri);
    const matched = context.diagnostics
      .filter((d) => d.code === LEARNED_CODE)
      .map((d) => findings.find((f) => f.diagnostic.message === d.message && f.diagnostic.range.isEqual(d.range)))
      .filter((f): f is LearnedFinding => !!f);
    if (!matched.length) return [];
    const file = doc.uri.fsPath;
    const text = doc.getText();
    /** A fix adding `picks`, or none when they are all there already or the merge fails. */
    const fix = (title: string, picks: LearnedPick[], covered: LearnedFinding[]) => {
      let edits;
      try {
        edits = learnedTextEdits(text, learned.suggestions, picks, file).edits;
      } catch (err) {
        // A merge that fails (e.g. the file no longer parses) drops that one fix, not the whole menu.
        this.log.warn(`quick fix for ${file} skipped: ${(err as Error).message}`);
        return [];
      }
      return edits.length ? [command(title, ALLOW_COMMAND, [file, picks], covered)] : [];
    };
    // `preferred` marks the default alternative; VS Code lists preferred fixes first.
    const alternatives = (f: LearnedFinding, all: boolean, preferred: boolean) =>
      f.entry.alternatives
        .filter((alt) => all || alt.pattern === f.entry.pattern)
        .flatMap((alt) =>
          fix(describeAlternative(f.kind, alt), [{ kind: f.kind, entry: withAlternative(f.entry, alt) }], [f]).map((a) => {
            a.isPreferred = preferred && alt.pattern === f.entry.pattern;
            return a;
          }),
        );
    const applyAll = SUGGESTION_KINDS.flatMap((kind) => {
      const ofKind = findings.filter((f) => f.kind === kind);
      if (ofKind.length < 2 || !matched.some((f) => f.kind === kind)) return [];
      return fix(`Apply all learned ${kind} rules (${ofKind.length})`, ofKind.map((f) => defaultForm(f.kind, f.entry)), ofKind);
    });

    if (matched.length <= FULL_MENU_MAX) {
      return [...matched.flatMap((f) => alternatives(f, true, true)), ...applyAll, ...matched.map((f) => command(`Dismiss ${f.kind} suggestion \`${f.entry.pattern}\``, DISMISS_COMMAND, [file, [f.id]], [f]))];
    }
    // Bulk actions first: with one row per suggestion below them, they stay in view
    // (so none of those rows is preferred, which would list it first).
    const others: AlternativeChoice[] = matched.flatMap((f) =>
      f.entry.alternatives
        .filter((alt) => alt.pattern !== f.entry.pattern)
        .map((alt) => ({ label: pickText(describeAlternative(f.kind, alt)), description: pickText(f.diagnostic.message), pick: { kind: f.kind, entry: withAlternative(f.entry, alt) } })),
    );
    const choices: DismissChoice[] = matched.map((f) => ({ id: f.id, label: pickText(`${f.kind}: ${f.entry.pattern}`), description: pickText(f.diagnostic.message) }));
    return [
      command(`Review all ${findings.length} learned rules…`, REVIEW_COMMAND, [], findings),
      ...applyAll,
      command(`Dismiss all ${matched.length} suggestions here`, DISMISS_COMMAND, [file, matched.map((f) => f.id)], matched),
      command(`Dismiss one of these ${matched.length} suggestions…`, DISMISS_ONE_COMMAND, [file, choices], matched),
      ...(others.length ? [command(`Allow another alternative (${others.length})…`, OTHER_ALTERNATIVE_COMMAND, [file, others], matched)] : []),
      ...matched.flatMap((f) => alternatives(f, false, false)),
    ];
  }
}

function command(title: string, id: string, args: unknown[], covered: LearnedFinding[]): vscode.CodeAction {
  const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  action.command = { title, command: id, arguments: args };
  action.diagnostics = covered.map((f) => f.diagnostic);
  return action;
}

/** The commands the quick fixes run; dismissals are remembered per workspace and policy file. */
export function registerQuickFixCommands(learn: Pick<LearnState, 'dismiss' | 'undismiss' | 'get'>, snapshots: BeforeSnapshots): vscode.Disposable[] {
  /** Proposes `picks` on the policy's current text (it may have changed since the menu was made). */
  const allow = async (file: string, picks: LearnedPick[]) => {
    const learned = learn.get(file);
    if (!learned) return;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await proposeLearned(doc, learned.suggestions, picks, snapshots);
  };
  /**
   * Dismisses, then says so with an Undo: a dismissal is remembered for good and
   * nothing else brings the suggestions back (a fresh analysis keeps them dismissed).
   */
  const dismiss = async (file: string, ids: readonly string[]) => {
    await learn.dismiss(file, ids);
    const undo = 'Undo';
    const it = ids.length === 1 ? 'it' : 'them';
    void vscode.window
      .showInformationMessage(`Rampart: dismissed ${plural(ids.length, 'learned suggestion')} on ${basename(file)} (a new analysis keeps ${it} dismissed; "Rampart: ${RESTORE_TITLE}" brings ${it} back).`, undo)
      .then((answer) => (answer === undo ? learn.undismiss(file, ids) : undefined));
  };
  return [
    vscode.commands.registerCommand(ALLOW_COMMAND, allow),
    vscode.commands.registerCommand(DISMISS_COMMAND, (file: string, ids: string[]) => dismiss(file, ids)),
    vscode.commands.registerCommand(DISMISS_ONE_COMMAND, async (file: string, choices: DismissChoice[]) => {
      const chosen = await vscode.window.showQuickPick(choices, { title: 'Dismiss a learned suggestion', placeHolder: 'It stops being suggested on this policy' });
      if (chosen) await dismiss(file, [chosen.id]);
    }),
    vscode.commands.registerCommand(OTHER_ALTERNATIVE_COMMAND, async (file: string, alternatives: AlternativeChoice[]) => {
      const chosen = await vscode.window.showQuickPick(alternatives, { title: 'Allow another alternative', placeHolder: 'Narrower or wider than the default of its suggestion', matchOnDescription: true });
      if (chosen) await allow(file, [chosen.pick]);
    }),
  ];
}

/**
 * "Restore Dismissed Suggestions…": the suggestions dismissed on `file`, all
 * ticked (the command is run to bring them back; untick those to keep
 * dismissed), and the ticked ones restored. Restoring applies nothing: the
 * suggestions only show as problems again.
 */
export async function restoreDismissed(learn: Pick<LearnState, 'dismissed' | 'undismiss' | 'get'>, file: string): Promise<void> {
  const name = basename(file);
  const ids = [...learn.dismissed(file)].sort();
  if (!ids.length) {
    void vscode.window.showInformationMessage(`Rampart: no learned suggestion is dismissed on ${name}.`);
    return;
  }
  const learned = learn.get(file)?.suggestions;
  const items = ids.map((id) => {
    const cut = id.indexOf(':');
    const kind = id.slice(0, cut) as SuggestionKind;
    const pattern = id.slice(cut + 1);
    const entry = SUGGESTION_KINDS.includes(kind) ? learned?.[kind].find((e) => e.pattern === pattern) : undefined;
    return { label: pickText(`${kind}: ${pattern}`), description: entry ? pickText(findingMessage(kind, entry)) : 'not in the latest analysis', picked: true, id };
  });
  const chosen = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: `Restore dismissed suggestions on ${name}`,
    placeHolder: 'Untick the ones to keep dismissed; restored suggestions show as problems again (nothing is applied)',
    matchOnDescription: true,
  });
  if (!chosen?.length) return;
  await learn.undismiss(file, chosen.map((c) => c.id));
  const when = learned ? 'They show as problems again unless the policy has them already.' : 'They show as problems again after the next Learn From Session or Analyze Claude Code History.';
  void vscode.window.showInformationMessage(`Rampart: restored ${plural(chosen.length, 'dismissed suggestion')} on ${name}. ${when}`);
}
