"""``python -m ndkg``: the command line."""

from ndkg.cli import main

main()
