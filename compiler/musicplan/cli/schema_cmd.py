"""`mpl schema`: the JSON Schema of what MPL emits."""

from __future__ import annotations

import click

from .common import dump_json


@click.command("schema")
@click.option("--request", is_flag=True, help="The request body's schema instead of the plan's.")
def schema_command(request: bool) -> None:
    """Print the JSON Schema of the composition plan (or of the request body)."""
    from ..models import CompositionPlan, MusicRequest

    model = MusicRequest if request else CompositionPlan
    click.echo(dump_json(model.model_json_schema()), nl=False)
