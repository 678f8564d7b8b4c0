// The Reviewer webview view: serves the HTML shell (strict CSP, nonce, only
// local resources) and relays protocol messages to the backend.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { ToWebview } from '../../webview/protocol';
import { handleReviewerMessage, type ReviewerBackend } from './reviewerMessages';

export const REVIEWER_VIEW_ID = 'rampartLearn.reviewer';

export class ReviewerView implements vscode.WebviewViewProvider {
  private view?: vscode.WebviewView;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly backend: () => ReviewerBackend,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    view.webview.html = reviewerHtml(view.webview, dist);
    const subscriptions = [
      view.webview.onDidReceiveMessage((raw) => handleReviewerMessage(raw, this.backend(), (m) => this.post(m))),
      // A note about an unsaved deny rule must not outlive the save.
      vscode.workspace.onDidSaveTextDocument((doc) => this.post({ type: 'fileSaved', file: doc.uri.fsPath })),
    ];
    view.onDidDispose(() => {
      this.view = undefined;
      for (const s of subscriptions) s.dispose();
    });
  }

  post(msg: ToWebview): void {
    void this.view?.webview.postMessage(msg);
  }

  /** Asks the webview to re-run its current query (it answers `init` with one). */
  refresh(): void {
    void handleReviewerMessage({ type: 'ready' }, this.backend(), (m) => this.post(m));
  }

  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${REVIEWER_VIEW_ID}.focus`);
  }
}

function reviewerHtml(webview: vscode.Webview, dist: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Rampart Reviewer</title>
</head>
<body>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
