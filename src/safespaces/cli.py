"""The `safespaces` console command.

`safespaces COMMAND ...` runs SafeSpaces' own commands (serve, worker, demo, createadmin,
import-places, audit verify, keys rotate); `safespaces manage COMMAND ...` runs any Django
management command.
"""

from __future__ import annotations

import os
import sys

from django.core.exceptions import ImproperlyConfigured

OWN_COMMANDS = (
    "serve",
    "worker",
    "demo",
    "createadmin",
    "import-places",
    "import-venues",
    "export",
    "export-venues",
    "audit",
    "keys",
)
# Django command names cannot contain a dash.
COMMAND_MODULES = {
    "import-places": "import_places",
    "import-venues": "import_venues",
    "export-venues": "export_venues",
}
USAGE = """usage: safespaces COMMAND [options]

commands:
  serve [--no-worker]   serve the web site with gunicorn, and a worker beside it
  worker                deliver messages and run scheduled jobs until stopped
  demo                  load the demo city and its staff users
  createadmin           create a coordinator account
  import-places FILE    import named places from CSV, GeoJSON or OpenStreetMap XML
  import-venues FILE    import safe-space venues from HSDS, CSV, GeoJSON or OpenStreetMap
  export [options]      export reports as CSV, HXL or GeoJSON (--public: public data only)
  export-venues         export the public safe-space directory as HSDS 3.0 JSON
  audit verify          check that the audit log's chain is intact
  keys rotate           re-wrap every data key under a new master key
  manage COMMAND ...    run any Django management command

Each command takes --help.
"""


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safespaces.settings")
    if not args or args[0] in ("-h", "--help", "help"):
        sys.stdout.write(USAGE)
        return
    if args[0] == "manage":
        prog, rest = "safespaces manage", args[1:]
    elif args[0] in OWN_COMMANDS:
        prog, rest = "safespaces", [COMMAND_MODULES.get(args[0], args[0]), *args[1:]]
    else:
        sys.stderr.write(f"safespaces: unknown command {args[0]!r}\n\n{USAGE}")
        raise SystemExit(2)
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line([prog, *rest])
    except ImproperlyConfigured as error:
        sys.stderr.write(f"safespaces: configuration error: {error}\n")
        raise SystemExit(78) from None  # EX_CONFIG


if __name__ == "__main__":
    main()
