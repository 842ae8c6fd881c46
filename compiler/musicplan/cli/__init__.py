"""The `mpl` command. Subcommands live in their own modules and are imported only when
run, so `mpl compile` never pays for the HTTP client or the language server."""

from __future__ import annotations

import importlib
from typing import Any

import click

from .. import __version__

# command name → "module:attribute" inside musicplan.cli
COMMANDS: dict[str, str] = {
    "compile": "compile_cmd:compile_command",
    "check": "compile_cmd:check_command",
    "schema": "schema_cmd:schema_command",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        module = importlib.import_module(f"{__name__}.{module_name}")
        command: click.Command = getattr(module, attribute)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="mpl")
def main(**_: Any) -> None:
    """MPL, the music plan language: check .mpl files and compile them to music_v2 plans.

    \b
    Exit codes: 0 success (warnings allowed), 1 the input has errors,
    2 the command was misused.
    Shell completion: eval "$(_MPL_COMPLETE=bash_source mpl)" (zsh_source, fish_source).
    """
