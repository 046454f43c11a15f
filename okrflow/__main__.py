"""The `okrflow` command: Django's management entry point with okrflow's settings."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run a management command, e.g. `okrflow migrate` or `okrflow demo`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okrflow.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([os.path.basename(sys.argv[0]) or "okrflow", *sys.argv[1:]])


if __name__ == "__main__":
    main()
