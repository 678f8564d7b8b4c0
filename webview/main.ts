// The Reviewer: a table of recent agent calls to label, a toolbar and the
// model's metrics. Plain DOM, no framework: it runs in a sandboxed iframe under
// a strict CSP, and everything it shows comes from the extension by message.
import './reviewer.css';
import {
  DEFAULT_QUERY,
  offersDenyRule,
  type EventQuery,
  type EventRow,
  type Label,
  type LabelCounts,
  type ModelSummary,
  type ToExtension,
  type ToWebview,
  type TrainingState,
} from './protocol';
import { codeSpans } from './richText';
import { pagerText } from './pager';
import { decisionText, LABEL_NAMES, rowName, shownTarget } from './rowName';
import { printable } from '../src/core/printable';

interface VsCodeApi {
  postMessage(msg: ToExtension): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState {
  query: EventQuery;
  selectedId: string | null;
}

const vscode = acquireVsCodeApi();
const saved = (vscode.getState() ?? {}) as Partial<SavedState>;
let query: EventQuery = { ...DEFAULT_QUERY, ...saved.query };
let selectedId: string | null = saved.selectedId ?? null;
let rows: EventRow[] = [];
let total = 0;
let matched = 0;

const post = (msg: ToExtension) => vscode.postMessage(msg);
const save = () => vscode.setState({ query, selectedId } satisfies SavedState);

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}
const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

// ---- layout ---------------------------------------------------------------

// On a narrow view (the side bar) CSS hides all but the command, decision and
// label columns, and the row's second line shows the hidden ones instead.
const COLUMNS = [
  ['time', 'Time'], ['agent', 'Agent'], ['tool', 'Tool'], ['target', 'Command / path / URL'],
  ['decision', 'Decision'], ['score', 'Score'], ['prediction', 'Prediction'], ['label', 'Label'],
] as const;

document.body.append(
  el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Reviewer actions' },
    el('button', { id: 'refresh', title: 'Reload events from the telemetry store' }, 'Refresh'),
    el('button', { id: 'export', title: 'Export the telemetry as CSV' }, 'Export CSV'),
    el('button', { id: 'train', title: 'Train the classifier on the labelled events' }, 'Run Trainer'),
    el('button', { id: 'cancel', hidden: '' }, 'Cancel'),
    el('span', { id: 'training', role: 'status', 'aria-live': 'polite' }),
  ),
  el('div', { class: 'filters', role: 'search' },
    el('input', { id: 'search', type: 'search', placeholder: 'Search commands, paths, URLs, agents…', 'aria-label': 'Search commands, paths, URLs, agents and tools' }),
    select('decision', 'Decision', [['all', 'All decisions'], ['allow', 'allow'], ['deny', 'deny'], ['ask', 'ask'], ['watch', 'watch']]),
    select('label', 'Label', [['all', 'All labels'], ['unlabelled', 'Unlabelled'], ['safe', 'Safe'], ['unsafe', 'Unsafe'], ['unknown', 'Unknown']]),
    select('sort', 'Sort', [['recent', 'Most recent first'], ['uncertain', 'Most uncertain first']]),
  ),
  el('div', { class: 'reason-row' },
    el('label', { for: 'reason' }, 'Reason'),
    el('input', {
      id: 'reason',
      type: 'text',
      placeholder: 'optional, saved with the next label you set',
      title: 'Saved with the next label you set (S, U or ?), then cleared',
    }),
  ),
  el('p', { id: 'status', class: 'note' }),
  el('p', { id: 'note', class: 'note', role: 'status', 'aria-live': 'polite' }),
  el('div', { class: 'table-wrap' },
    el('table', { id: 'events', role: 'grid', 'aria-label': 'Recent agent calls. Keys: S safe, U unsafe, ? unknown, D deny rule for a command flagged unsafe; arrows, Home and End move.' },
      el('thead', {}, el('tr', {}, ...COLUMNS.map(([key, title]) => el('th', { scope: 'col', class: `col-${key}` }, title)))),
      el('tbody', { id: 'rows' }),
    ),
  ),
  el('div', { class: 'pager' },
    el('button', { id: 'prev', 'aria-label': 'Previous page' }, '‹ Prev'),
    el('span', { id: 'range', 'aria-live': 'polite' }),
    el('button', { id: 'next', 'aria-label': 'Next page' }, 'Next ›'),
  ),
  el('section', { id: 'metrics', class: 'metrics', 'aria-label': 'Model metrics' },
    el('h2', {}, 'Labels'),
    el('div', { id: 'labelChart', class: 'chart', role: 'img' }),
    el('h2', {}, 'Model'),
    el('div', { id: 'model' }, 'No model yet.'),
  ),
);

function select(id: string, label: string, options: [string, string][]): HTMLSelectElement {
  const s = el('select', { id, 'aria-label': label });
  for (const [value, text] of options) s.append(el('option', { value }, text));
  return s;
}

const searchBox = byId<HTMLInputElement>('search');
const reasonBox = byId<HTMLInputElement>('reason');
const tbody = byId<HTMLTableSectionElement>('rows');
searchBox.value = query.search;
for (const key of ['decision', 'label', 'sort'] as const) {
  const s = byId<HTMLSelectElement>(key);
  s.value = query[key];
  s.addEventListener('change', () => requery({ [key]: s.value }));
}

let searchTimer: ReturnType<typeof setTimeout> | undefined;
searchBox.addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => requery({ search: searchBox.value }), 200);
});
byId('refresh').addEventListener('click', () => requery({}));
byId('export').addEventListener('click', () => act({ type: 'exportCsv' }));
byId('train').addEventListener('click', () => act({ type: 'train' }));
byId('cancel').addEventListener('click', () => act({ type: 'cancelTraining' }));
byId('prev').addEventListener('click', () => requery({ offset: Math.max(0, query.offset - query.limit) }, false));
byId('next').addEventListener('click', () => requery({ offset: query.offset + query.limit }, false));

/** Asks for a page; filter changes go back to the first page. */
function requery(change: Partial<EventQuery>, resetOffset = true) {
  query = { ...query, ...(resetOffset ? { offset: 0 } : {}), ...change } as EventQuery;
  save();
  act({ type: 'query', query });
}

// ---- notes ----------------------------------------------------------------

const noteBox = byId('note');
/** The file of a deny rule the note calls unsaved: its save updates the note. */
let unsavedDeny: { pattern: string; file: string } | undefined;
const code = (text: string) => el('code', {}, text);

/** Shows the outcome of the last action. Every user action clears it first, so it never goes stale. */
function setNote(parts: (string | Node)[] = [], error = false) {
  noteBox.replaceChildren(...parts);
  noteBox.classList.toggle('error', error);
  unsavedDeny = undefined;
}

/** A message from the extension, with its `backticked` commands shown as code. */
const richText = (text: string) => codeSpans(text).map((s) => (s.code ? code(s.text) : s.text));

function denyNote(pattern: string, file: string, saved: boolean) {
  setNote(saved
    ? ['Deny rule ', code(printable(pattern)), ` saved in ${file}.`]
    : ['Deny rule ', code(printable(pattern)), ` added to ${file}, not saved yet: review the diff, then save it or undo.`]);
  if (!saved) unsavedDeny = { pattern, file };
}

/** Sends a message for a user action. */
function act(msg: ToExtension) {
  setNote();
  post(msg);
}

// ---- table ----------------------------------------------------------------

const LABEL_KEYS: Record<string, Label> = { s: 'safe', u: 'unsafe', '?': 'unknown' };

function scoreClass(score: number | null): string {
  if (score === null) return '';
  return score >= 70 ? 'score-high' : score >= 40 ? 'score-mid' : 'score-low';
}

function renderRows() {
  // New rows replace the old ones, the focused one too: keep the keyboard focus on
  // the same control (row or button) of the selected row, or it falls to the page.
  const active = document.activeElement;
  const focusedRow = active instanceof HTMLElement && tbody.contains(active) ? active.closest('tr') : null;
  const focusedButton = focusedRow ? Array.from(focusedRow.querySelectorAll('button')).indexOf(active as HTMLButtonElement) : -1;
  tbody.replaceChildren(...(rows.length ? rows.map(renderRow) : [emptyState()]));
  if (!rows.some((r) => r.id === selectedId)) selectedId = rows[0]?.id ?? null;
  markSelected(false);
  if (focusedRow) {
    const row = tbody.querySelector<HTMLElement>('tr.row[aria-selected="true"]') ?? tbody.querySelector('tr');
    (row?.querySelectorAll('button')[focusedButton] ?? row)?.focus();
  }
  byId('range').textContent = pagerText(query.offset, { shown: rows.length, total, matched });
  byId<HTMLButtonElement>('prev').disabled = query.offset === 0;
  byId<HTMLButtonElement>('next').disabled = query.offset + rows.length >= total;
}

function emptyState(): HTMLTableRowElement {
  const filtered = query.search || query.decision !== 'all' || query.label !== 'all';
  const cell = el('td', { colspan: String(COLUMNS.length) });
  if (filtered) cell.append('No calls match these filters.');
  else {
    const run = el('button', {}, 'Run Agent Task…');
    run.addEventListener('click', () => act({ type: 'runAgentTask' }));
    cell.append(el('p', {}, 'No agent calls yet. Run an agent task: its calls appear here as they happen, to label S (safe) or U (unsafe).'), run);
  }
  return el('tr', { class: 'empty' }, cell);
}

function renderRow(r: EventRow): HTMLTableRowElement {
  const parsed = new Date(r.time);
  const time = Number.isNaN(parsed.getTime()) ? r.time : parsed.toLocaleTimeString();
  const score = r.safetyScore === null ? '–' : String(r.safetyScore);
  const prediction = r.prediction ? `${r.prediction.label} ${(r.prediction.confidence * 100).toFixed(0)}%` : '–';
  const target = shownTarget(r);
  const agent = printable(r.agent);
  // The second line of the command cell repeats the columns a narrow view hides (CSS picks which).
  // Most useful first: a narrow line cuts off the end (its tooltip has it all).
  const meta = ([
    ['prediction', r.prediction ? `predicted ${prediction}` : ''], ['score', r.safetyScore === null ? '' : `score ${score}`],
    ['time', time], ['agent', agent], ['tool', r.tool],
  ] as const).filter(([, text]) => text);
  const tr = el('tr', {
    'data-id': r.id,
    tabindex: '-1',
    class: ['row', r.label ? `label-${r.label}` : 'label-none', scoreClass(r.safetyScore), `decision-${r.decision}`, r.approval ? `approval-${r.approval}` : ''].join(' '),
    'aria-selected': 'false',
    'aria-label': rowName(r, time),
  },
    el('td', { class: 'col-time', title: r.time }, time),
    el('td', { class: 'col-agent', title: agent }, agent),
    el('td', { class: 'col-tool' }, r.tool),
    el('td', { class: 'col-target' },
      el('div', { class: 'cmd', title: target }, target),
      // The narrowest side bar moves the decision here, on a line of its own.
      el('div', { class: 'decision-line' }, decisionBadge(r)),
      el('div', { class: 'meta', title: meta.map(([, text]) => text).join(' · ') }, ...meta.map(([key, text]) => el('span', { class: `m-${key}` }, text))),
    ),
    el('td', { class: 'col-decision' }, decisionBadge(r)),
    el('td', { class: 'col-score num' }, score),
    el('td', { class: 'col-prediction' }, prediction),
    el('td', { class: 'col-label' }, labelButtons(r)),
  );
  tr.addEventListener('click', () => select_(r.id));
  return tr;
}

/** The decision badge: in its column, or (the narrowest side bar) under the command. */
function decisionBadge(r: EventRow): HTMLElement {
  return el('span', { class: 'badge', ...(r.enforced === false && { title: 'Learn mode: not enforced, the call ran' }) }, decisionText(r));
}

function labelButtons(r: EventRow): HTMLElement {
  const box = el('span', { class: 'labels' });
  const group = el('span', { class: 'lab-group', role: 'group', 'aria-label': `Label for ${shownTarget(r)}` });
  box.append(group);
  for (const [key, label] of Object.entries(LABEL_KEYS)) {
    const b = el('button', {
      class: `lab lab-${label}`,
      title: `${label} (${key.toUpperCase()})`,
      'aria-label': LABEL_NAMES[label],
      'aria-pressed': String(r.label === label),
    }, key.toUpperCase());
    b.addEventListener('click', (ev) => {
      ev.stopPropagation(); // the row's own click would take the focus from the button
      select_(r.id, false);
      labelRow(r.id, label);
    });
    group.append(b);
  }
  if (r.reason) group.append(el('span', { class: 'reason', title: r.reason, role: 'img', 'aria-label': `Reason: ${r.reason}` }, '✎'));
  if (offersDenyRule(r)) {
    const deny = el('button', {
      class: 'deny-rule',
      title: 'Add a deny rule for this command to the policy (D). The edit is shown as a diff and not saved.',
      'aria-label': `Add deny rule for ${shownTarget(r)}`,
    }, 'Deny…');
    deny.addEventListener('click', (ev) => {
      ev.stopPropagation();
      select_(r.id, false);
      act({ type: 'addDenyRule', id: r.id });
    });
    box.append(deny);
  } else if (r.deniedNow) {
    box.append(el('span', { class: 'denied-now', title: 'The policy denies this command now: a deny rule was added after this call.' }, 'denied now'));
  }
  return box;
}

function select_(id: string, focus = true) {
  selectedId = id;
  save();
  markSelected(focus);
}

/** Only the selected row and its buttons are in the Tab order; the arrow keys move between rows. */
function markSelected(focus: boolean) {
  for (const tr of Array.from(tbody.querySelectorAll<HTMLTableRowElement>('tr.row'))) {
    const on = tr.dataset.id === selectedId;
    tr.setAttribute('aria-selected', String(on));
    tr.tabIndex = on ? 0 : -1;
    for (const b of Array.from(tr.querySelectorAll('button'))) b.tabIndex = on ? 0 : -1;
    if (on && focus) tr.focus();
  }
}

function labelRow(id: string, label: Label) {
  const reason = reasonBox.value.trim() || undefined;
  reasonBox.value = '';
  act({ type: 'label', id, label, reason });
}

tbody.addEventListener('keydown', (ev) => {
  const index = rows.findIndex((r) => r.id === selectedId);
  if (index < 0) return;
  const label = LABEL_KEYS[ev.key.toLowerCase()];
  if (label) {
    labelRow(rows[index].id, label);
    ev.preventDefault();
  } else if (ev.key.toLowerCase() === 'd' && offersDenyRule(rows[index])) {
    act({ type: 'addDenyRule', id: rows[index].id });
    ev.preventDefault();
  } else if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
    const next = rows[index + (ev.key === 'ArrowDown' ? 1 : -1)];
    if (next) select_(next.id);
    ev.preventDefault();
  } else if (ev.key === 'Home' || ev.key === 'End') {
    select_(rows[ev.key === 'Home' ? 0 : rows.length - 1].id);
    ev.preventDefault();
  }
});

// ---- metrics --------------------------------------------------------------

function renderLabelCounts(c: LabelCounts) {
  const chart = byId('labelChart');
  const max = Math.max(1, c.safe, c.unsafe, c.unknown, c.unlabelled);
  chart.setAttribute('aria-label', `Labels: ${c.safe} safe, ${c.unsafe} unsafe, ${c.unknown} unknown, ${c.unlabelled} unlabelled`);
  chart.replaceChildren(...(['safe', 'unsafe', 'unknown', 'unlabelled'] as const).map((k) => {
    const bar = el('span', { class: `bar bar-${k}` });
    bar.style.width = `${(100 * c[k]) / max}%`;
    return el('div', { class: 'chart-row' }, el('span', { class: 'chart-key' }, k), el('span', { class: 'chart-track' }, bar), el('span', { class: 'num' }, String(c[k])));
  }));
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–');

function renderModel(m: ModelSummary | null, note?: string) {
  const box = byId('model');
  if (!m) {
    box.replaceChildren(el('p', { class: 'note' }, note ?? 'No model yet.'));
    return;
  }
  const [[tn, fp], [fn, tp]] = m.confusion;
  box.replaceChildren(
    ...(m.caveat ? [el('p', { class: 'caveat' }, m.caveat)] : []),
    el('p', {}, `Trained ${new Date(m.createdAt).toLocaleString()} on ${m.trainRows} commands (tested on ${m.testRows} others); accuracy ${pct(m.accuracy)}, ROC AUC ${m.rocAuc === null ? '–' : m.rocAuc.toFixed(3)}, threshold ${m.threshold.toFixed(2)}.`),
    table('Per-class scores', ['Class', 'Precision', 'Recall', 'F1', 'Support'], (['safe', 'unsafe'] as const).map((k) => [k, pct(m[k].precision), pct(m[k].recall), pct(m[k].f1), String(m[k].support)])),
    table('Confusion matrix (rows: true class, columns: predicted)', ['', 'pred. safe', 'pred. unsafe'], [['safe', String(tn), String(fp)], ['unsafe', String(fn), String(tp)]]),
    m.topFeatures.length
      ? table('Top features', ['Feature', 'Importance'], m.topFeatures.slice(0, 10).map((f) => [f.feature, f.importance.toFixed(4)]))
      : el('p', { class: 'note' }, 'Top features: none changed the test predictions.'),
  );
}

function table(caption: string, head: string[], body: string[][]): HTMLTableElement {
  return el('table', { class: 'small' },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
    // The first column names the row: a header, so a screen reader reads it with each cell.
    el('tbody', {}, ...body.map(([first, ...rest]) => el('tr', {}, el('th', { scope: 'row' }, first), ...rest.map((c) => el('td', {}, c))))),
  );
}

function renderTraining(t: TrainingState) {
  const running = t.state === 'running';
  byId<HTMLButtonElement>('train').disabled = running;
  byId('cancel').hidden = !running;
  byId('training').textContent =
    t.state === 'running' ? `${t.message} ${Math.round(t.fraction * 100)}%` : t.state === 'idle' ? '' : t.state === 'cancelled' ? 'Training cancelled.' : t.message;
}

// ---- messages -------------------------------------------------------------

window.addEventListener('message', (ev: MessageEvent<ToWebview>) => {
  const msg = ev.data;
  switch (msg.type) {
    case 'init':
      byId('status').textContent = msg.telemetry === 'ready' ? msg.note ?? '' : msg.note ?? 'Telemetry is not available.';
      post({ type: 'query', query });
      break;
    case 'events':
      query = msg.query;
      rows = msg.rows;
      total = msg.total;
      matched = msg.matched;
      renderRows();
      break;
    case 'labelled': {
      const index = rows.findIndex((x) => x.id === msg.id);
      const r = rows[index];
      if (r) {
        r.label = msg.label;
        r.reason = msg.reason;
        if (query.label !== 'all' && query.label !== msg.label) {
          // The row left the filter (e.g. "Unlabelled" while triaging): fetch the page
          // again without it, and keep the selection on the row that took its place.
          selectedId = rows[index + 1]?.id ?? rows[index - 1]?.id ?? null;
          save();
          post({ type: 'query', query });
        } else renderRows();
        if (msg.reason) setNote(['Labelled ', code(shownTarget(r)), ` ${msg.label}, with the reason “${msg.reason}”.`]);
      }
      break;
    }
    case 'labelCounts':
      renderLabelCounts(msg.counts);
      break;
    case 'model':
      renderModel(msg.model, msg.note);
      break;
    case 'training':
      renderTraining(msg.training);
      // A new model changes the predictions (and the uncertain sort) of the rows on show.
      if (msg.training.state === 'done') post({ type: 'query', query });
      break;
    case 'denyRuleProposed':
      denyNote(msg.pattern, msg.file, msg.saved);
      // Saved, the rule is in force: the row stops offering Deny….
      if (msg.saved) post({ type: 'query', query });
      break;
    case 'fileSaved':
      if (unsavedDeny?.file === msg.file) {
        denyNote(unsavedDeny.pattern, msg.file, true);
        post({ type: 'query', query });
      }
      break;
    case 'error':
      setNote(richText(msg.message), true);
      break;
  }
});

post({ type: 'ready' });
