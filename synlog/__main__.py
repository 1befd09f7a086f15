"""``python -m synlog`` runs the command line."""

from synlog.cli.main import main

main()
