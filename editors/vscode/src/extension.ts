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
    execFile(command, ["--version"], { timeout: 5000 }, (error) => resolve(!error));
  });
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const command = vscode.workspace.getConfiguration("mpl").get<string>("server.path", "mpl");
  if (!(await serverAvailable(command))) {
    void vscode.window.showInformationMessage(
      `MPL: \`${command}\` was not found, so .mpl files are highlighted only. ` +
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

export async function deactivate(): Promise<void> {
  await client?.stop();
}
