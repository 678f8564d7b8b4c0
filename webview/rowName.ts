// Words for what the Reviewer table shows in colour: a row's label is a filled
// button and its decision a tinted badge, so a screen reader hears both from
// the row's name, and each label button has a name of its own (its text is
// only the shortcut letter).
import type { EventRow, Label } from './protocol';
import { printable } from '../src/core/printable';

export const LABEL_NAMES: Record<Label, string> = { safe: 'Safe', unsafe: 'Unsafe', unknown: 'Unknown' };

/**
 * The policy's decision, and for an ask how it ended, joined by `sep`. In Learn
 * mode a deny or ask was not enforced (the call ran): "would deny", so the row
 * does not read as if it had been blocked.
 */
function decisionWords(r: EventRow, sep: string): string {
  if (r.enforced === false && (r.decision === 'deny' || r.decision === 'ask')) return `would ${r.decision}`;
  return r.approval ? `${r.decision}${sep}${r.approval === 'approved' ? 'approved' : 'denied'}` : r.decision;
}

/** The policy's decision as shown in the badge; for an ask, how it ended. */
export function decisionText(r: EventRow): string {
  return decisionWords(r, ' → ');
}

/**
 * The command (path, URL) as shown and read out: control characters spelled out
 * (`\x1b[31m`, `\n`), as the terminal and the CLI show them, not drawn as boxes or
 * obeyed (a bidi override would reorder it). Actions go by the row's id, never by this text.
 */
export function shownTarget(r: Pick<EventRow, 'target'>): string {
  return printable(r.target);
}

/** The row's accessible name: the command, then what the reviewer acts on, then where it came from. `time` as shown. */
export function rowName(r: EventRow, time: string): string {
  return [
    shownTarget(r),
    // "→" would be read out as "right arrow".
    decisionWords(r, ', '),
    r.label ? `labelled ${r.label}` : 'not labelled',
    r.reason ? `reason: ${r.reason}` : '',
    r.safetyScore === null ? '' : `score ${r.safetyScore}`,
    r.prediction ? `predicted ${r.prediction.label} ${(r.prediction.confidence * 100).toFixed(0)}%` : '',
    `${printable(r.agent)}, ${r.tool}, ${time}`,
  ].filter(Boolean).join(', ');
}
