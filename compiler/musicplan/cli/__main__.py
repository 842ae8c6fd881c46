"""`python -m musicplan.cli`: the same as the `mpl` command."""

from . import main

main(prog_name="mpl")
