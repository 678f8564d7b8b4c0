// The Reviewer's message handling, kept free of `vscode` so it can be tested
// directly: it validates each webview message, calls the backend and answers
// with protocol messages. Failures become an `error` message, never a throw.
import { parseToExtension, type EventPage, type EventQuery, type Label, type LabelCounts, type ModelSummary, type ToWebview } from '../../webview/protocol';

/** What the Reviewer needs from the rest of the extension. */
export interface ReviewerBackend {
  status(): Promise<{ telemetry: 'ready' | 'unavailable'; note?: string }>;
  query(q: EventQuery): Promise<EventPage>;
  label(id: string, label: Label, reason?: string): Promise<void>;
  labelCounts(): Promise<LabelCounts>;
  model(): Promise<{ model: ModelSummary | null; note?: string }>;
  /** Asks where to save and writes the CSV; UI is the backend's business. */
  exportCsv(): Promise<void>;
  /** Confirms and trains; progress is reported through `post`. */
  train(post: (msg: ToWebview) => void): Promise<void>;
  cancelTraining(): void;
  /**
   * Adds a deny rule for the event's command to its policy as an undoable
   * edit shown as a diff; `saved` tells whether the file is saved already.
   * Undefined when nothing changed (already denied, or the user cancelled a
   * folder pick).
   */
  addDenyRule(id: string): Promise<{ pattern: string; file: string; saved: boolean } | undefined>;
  runAgentTask(): Promise<void>;
}

export async function handleReviewerMessage(raw: unknown, backend: ReviewerBackend, post: (msg: ToWebview) => void): Promise<void> {
  const msg = parseToExtension(raw);
  if ('error' in msg) {
    post({ type: 'error', message: `Reviewer: ignored a malformed message (${msg.error})` });
    return;
  }
  try {
    switch (msg.type) {
      case 'ready': {
        const status = await backend.status();
        post({ type: 'init', telemetry: status.telemetry, note: status.note });
        if (status.telemetry === 'ready') post({ type: 'labelCounts', counts: await backend.labelCounts() });
        post({ type: 'model', ...(await backend.model()) });
        break;
      }
      case 'query': {
        const page = await backend.query(msg.query);
        post({ type: 'events', query: msg.query, ...page });
        break;
      }
      case 'label':
        await backend.label(msg.id, msg.label, msg.reason);
        post({ type: 'labelled', id: msg.id, label: msg.label, reason: msg.reason });
        post({ type: 'labelCounts', counts: await backend.labelCounts() });
        // Without a model, the panel says how far the labels are from trainable.
        post({ type: 'model', ...(await backend.model()) });
        break;
      case 'exportCsv':
        await backend.exportCsv();
        break;
      case 'train':
        await backend.train(post);
        post({ type: 'model', ...(await backend.model()) });
        break;
      case 'cancelTraining':
        backend.cancelTraining();
        break;
      case 'addDenyRule': {
        const added = await backend.addDenyRule(msg.id);
        if (added) post({ type: 'denyRuleProposed', id: msg.id, ...added });
        break;
      }
      case 'runAgentTask':
        await backend.runAgentTask();
        break;
    }
  } catch (err) {
    post({ type: 'error', message: `${msg.type}: ${(err as Error).message}` });
  }
}
