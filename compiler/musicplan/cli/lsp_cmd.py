"""`mpl lsp`: the language server over stdio (needs the `lsp` extra: pygls)."""

from __future__ import annotations

import click

from .common import EXIT_USAGE

INSTALL = 'pip install "musicplan[lsp]"'


@click.command("lsp")
@click.option("--stdio", is_flag=True, help="Talk LSP over stdin/stdout (the default; "
              "accepted because editors pass it).")
@click.option("--check", is_flag=True, help="Only say whether the server can run here "
              "(exit 0), or why not (exit 2): what editors ask before starting it.")
def lsp_command(stdio: bool, check: bool) -> None:
    """Run the MPL language server on stdin/stdout, for editors.

    Ends with status 0 after the client's `shutdown` and `exit`, 1 after `exit` alone or
    when stdin closes without `shutdown` (docs/editors.md).
    """
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        click.echo(f"mpl lsp: the language server needs pygls; install it with: {INSTALL}",
                   err=True)
        raise SystemExit(EXIT_USAGE) from None
    if check:
        return
    from ..editor.lsp.server import run

    raise SystemExit(run())
