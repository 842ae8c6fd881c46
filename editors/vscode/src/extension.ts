// MPL for VS Code: the TextMate grammar colours .mpl files; when the `mpl` command is on
// PATH (or set in `mpl.server.path`), `mpl lsp` adds diagnostics, hovers, completion,
// formatting and more. Without it the extension falls back to highlighting alone.
import { execFile } from "child_process";
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function serverAvailable(command: string): Promise<boolean> {
  return new Promise((resolve) => {
    // `mpl lsp --check` fails where `mpl` lacks the lsp extra (pygls), unlike `--version`
    execFile(command, ["lsp", "--check"], { timeout: 5000 }, (error) => resolve(!error));
  });
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("mpl.showTimeline", () => {
      if (!client) {
        void vscode.window.showInformationMessage(
          "MPL: the timeline needs the language server (`mpl lsp`); see docs/editors.md."
        );
        return;
      }
      TimelinePanel.show(context);
    })
  );
  const command = vscode.workspace.getConfiguration("mpl").get<string>("server.path", "mpl");
  if (!(await serverAvailable(command))) {
    void vscode.window.showInformationMessage(
      `MPL: \`${command} lsp\` cannot run (not found, or installed without the lsp extra), so .mpl files are highlighted only. ` +
        "Install it with `pip install 'musicplan[lsp]'` for diagnostics, hovers and formatting."
    );
    return;
  }
  const serverOptions: ServerOptions = {
    command,
    args: ["lsp"],
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", language: "mpl" }, { scheme: "untitled", language: "mpl" }],
  };
  client = new LanguageClient("mpl", "MPL language server", serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => void client?.stop() });
  await client.start();
}

// MPL: Show Timeline — a webview beside the editor with the timeline picture of the active
// .mpl file, asked of the server (`mpl/timeline`, docs/preview.md) after each pause in
// typing. While the file has errors the server answers null and the last good picture stays.
const TIMELINE_DEBOUNCE_MS = 300;

class TimelinePanel {
  private static current: TimelinePanel | undefined;
  private timer: NodeJS.Timeout | undefined;
  private document: vscode.TextDocument | undefined;
  private shown = false;
  private asked = 0;

  static show(context: vscode.ExtensionContext): void {
    if (TimelinePanel.current) {
      TimelinePanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      "mpl.timeline",
      "MPL Timeline",
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: false, localResourceRoots: [] }
    );
    TimelinePanel.current = new TimelinePanel(panel, context);
  }

  private constructor(private readonly panel: vscode.WebviewPanel, context: vscode.ExtensionContext) {
    const subscriptions: vscode.Disposable[] = [
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor?.document.languageId === "mpl") {
          this.follow(editor.document, 0);
        }
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document === this.document) {
          this.follow(event.document, TIMELINE_DEBOUNCE_MS);
        }
      }),
    ];
    panel.onDidDispose(() => {
      TimelinePanel.current = undefined;
      if (this.timer) {
        clearTimeout(this.timer);
      }
      subscriptions.forEach((item) => item.dispose());
    }, null, context.subscriptions);
    const active = vscode.window.activeTextEditor?.document;
    const first = active?.languageId === "mpl"
      ? active
      : vscode.workspace.textDocuments.find((doc) => doc.languageId === "mpl");
    if (first) {
      this.follow(first, 0);
    } else {
      this.render(undefined, "Open an .mpl file to see its timeline.");
    }
  }

  private follow(document: vscode.TextDocument, delay: number): void {
    if (this.document !== document) {
      this.shown = false;
    }
    this.document = document;
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => void this.refresh(document), delay);
  }

  private async refresh(document: vscode.TextDocument): Promise<void> {
    if (!client) {
      return;
    }
    const asked = ++this.asked;
    let svg: string | null = null;
    try {
      svg = await client.sendRequest<string | null>("mpl/timeline", {
        uri: document.uri.toString(),
      });
    } catch {
      svg = null;
    }
    if (asked !== this.asked || document !== this.document) {
      return; // a newer request, or another file, has taken over
    }
    const name = vscode.workspace.asRelativePath(document.uri);
    this.panel.title = `Timeline: ${name}`;
    if (svg) {
      this.shown = true;
      this.render(svg, "");
    } else if (this.shown) {
      this.setNote(`${name} has errors: showing the last good timeline.`);
    } else {
      this.render(undefined, `${name} has errors: fix them to see its timeline.`);
    }
  }

  private lastSvg = "";

  private setNote(note: string): void {
    this.render(this.lastSvg, note);
  }

  private render(svg: string | undefined, note: string): void {
    this.lastSvg = svg ?? "";
    const escaped = note.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    this.panel.webview.html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:;">
<style>
body { padding: 8px; }
svg.mpl-timeline { display: block; max-width: 100%; height: auto; }
.note { color: var(--vscode-descriptionForeground); margin: 0 0 8px; }
</style></head>
<body>${escaped ? `<p class="note">${escaped}</p>` : ""}${this.lastSvg}</body></html>`;
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
