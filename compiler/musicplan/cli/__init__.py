"""The `mpl` command. Subcommands live in their own modules and are imported only when
run, so `mpl compile` never pays for the HTTP client or the language server."""

from __future__ import annotations

import gc
import importlib
import os
import sys
from typing import Any

import click

from .. import __version__

EXIT_INTERNAL = 3

# command name → "module:attribute" inside musicplan.cli
COMMANDS: dict[str, str] = {
    "compile": "compile_cmd:compile_command",
    "check": "compile_cmd:check_command",
    "schema": "schema_cmd:schema_command",
    "fmt": "fmt_cmd:fmt_command",
    "decompile": "decompile_cmd:decompile_command",
    "explain": "explain_cmd:explain_command",
    "preview": "preview_cmd:preview_command",
    "render": "render_cmd:render_command",
    "upload": "upload_cmd:upload_command",
    "draft": "draft_cmd:draft_command",
    "songs": "songs_cmd:songs_command",
    "lsp": "lsp_cmd:lsp_command",
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


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so writing out what is still buffered at exit cannot fail
    a second time. (Where stdout has no file descriptor, as under a test runner, it stays.)"""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _settle_start_up(command: str | None) -> None:
    """Run as the program (`mpl …`), not called from Python: import the command's module
    with the cycle collector paused, then move every object imported so far into its
    permanent generation (public `gc.freeze`), so that neither a later collection nor the
    one Python makes as it exits walks them again: about a sixth of `mpl compile`'s time
    (some 9 ms of 60, measured in pairs), and the imports make no garbage to collect."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        target = COMMANDS.get(command or "")
        if target is not None:
            importlib.import_module(f"{__name__}.{target.split(':')[0]}")
    except Exception:  # click imports it again, and reports the failure as it always has
        pass
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


class SafeGroup(LazyGroup):
    """Turns an unexpected exception (a bug) into a short message instead of a traceback;
    a reader that stops early (`mpl songs | head -1`) ends the command quietly."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        if not args and kwargs.get("args") is None:  # the program: arguments from sys.argv
            _settle_start_up(sys.argv[1] if len(sys.argv) > 1 else None)
        return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            try:
                return super().invoke(ctx)
            finally:
                sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        except BrokenPipeError:
            from .common import EXIT_ERRORS

            _silence_stdout()
            ctx.exit(EXIT_ERRORS)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("mpl: interrupted", err=True)
            ctx.exit(130)
        except Exception as exc:
            if os.environ.get("MPL_DEBUG"):
                raise
            click.echo(f"mpl: internal error: {type(exc).__name__}: {exc}\n"
                       "This is a bug in MPL; rerun with MPL_DEBUG=1 to see where, and report it.",
                       err=True)
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=SafeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="mpl")
def main(**_: Any) -> None:
    """MPL, the music plan language: check .mpl files and compile them to music_v2 plans.

    \b
    Exit codes: 0 success (warnings allowed), 1 the input has errors,
    2 the command was misused, 3 an internal error (a bug: please report it).
    Shell completion: eval "$(_MPL_COMPLETE=bash_source mpl)" (zsh_source, fish_source).
    """
