"""The `culturehub` command: one entry point for serving, importing and background work.

    culturehub serve [--demo] [--port 8000]
    culturehub import <source> ...        (areas, fingertips, ons-wellbeing, priorities, oruk, charities,
                                           arts-council-npo, arts-council-grants, museums)
    culturehub load-vocabulary
    culturehub classify organisations --input FILE.csv --output OUT.csv
    culturehub classify notices --input FILE... --output OUT.csv
    culturehub train-tagger
    culturehub outcomes score|analyse ...
    culturehub load-demo
    culturehub worker [--no-schedule]
    culturehub manage <django management command> ...
"""

from __future__ import annotations

import os
import sys

IMPORT_COMMANDS = {
    "areas": "import_areas",
    "fingertips": "import_fingertips",
    "ons-wellbeing": "import_ons_wellbeing",
    "priorities": "import_priorities",
    "oruk": "import_oruk",
    "charities": "import_charities",
    "arts-council-npo": "import_arts_council_npo",
    "arts-council-grants": "import_arts_council_grants",
    "museums": "import_museums",
    "notices": "import_notices",
}

USAGE = """usage: culturehub <command> [options]

commands:
  serve [--demo] [--port N]   serve on http://127.0.0.1:8000; --demo loads the demo data first if missing
  import <source> ...         import public data; sources: {sources}
  load-vocabulary             load the shared vocabulary from its YAML files
  classify organisations --input FILE.csv --output OUT.csv [--id-column org_id]
           [--text-columns name,activities,objects]
                              tag each row: cultural, art forms, themes, populations, score, reasons
  classify notices --input FILE... --output OUT.csv
                              judge each OCDS release: ocid, release_id, relevance, themes, score, reasons
  train-tagger                rebuild the tagger's model from its labelled data
  outcomes score --instrument swemwbs|wemwbs|ons4|ucla3 --input FILE.csv --output OUT.csv
                              score each response: participant_id,timepoint,valid,raw,score,band,error
  outcomes analyse --instrument NAME --input FILE.csv [--baseline pre --followup post]
           [--measure life_satisfaction] [--min-n 10]
                              print the paired change from baseline to follow-up as one JSON object
  load-demo                   load the bundled demo data (idempotent)
  worker [--no-schedule]      run background tasks; first enqueues the scheduled jobs (imports, alerts,
                              retention) that are not waiting already, unless --no-schedule
  manage <command> ...        any Django management command

Run `culturehub <command> --help` for a command's options.
"""


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "culturehub.config.settings")
    import django

    django.setup()


def _call(command: str, args: list[str]) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["culturehub", command, *args])
    return 0


def _serve(args: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="culturehub serve", description="Serve Culture Hub.")
    parser.add_argument("--demo", action="store_true", help="load the demo data first if it is missing")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    options = parser.parse_args(args)
    _call("migrate", ["--no-input", "--verbosity", "0"])
    if options.demo:
        _call("load_demo", ["--if-missing"])
    return _call("runserver", [f"{options.host}:{options.port}", "--noreload"])


def _worker(args: list[str]) -> int:
    """Start the scheduled jobs that are not waiting already (unless --no-schedule), then run the worker;
    any other options go to Django's db_worker."""
    if "-h" in args or "--help" in args:
        print("usage: culturehub worker [--no-schedule] [db_worker options]\n\n"
              "  --no-schedule  do not enqueue the scheduled jobs (imports, alerts) before starting\n")
        return _call("db_worker", ["--help"])
    if "--no-schedule" in args:
        args = [arg for arg in args if arg != "--no-schedule"]
    else:
        from culturehub.opportunities import tasks as opportunity_tasks
        from culturehub.outcomes import tasks as outcome_tasks

        enqueued = opportunity_tasks.schedule_ensure() + outcome_tasks.schedule_ensure()
        print(f"Scheduled: {', '.join(enqueued)}." if enqueued else "Scheduled jobs are already waiting.")
    return _call("db_worker", args)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(USAGE.format(sources=", ".join(IMPORT_COMMANDS)))
        return 0
    command, rest = argv[0], argv[1:]
    _django_setup()
    if command == "serve":
        return _serve(rest)
    if command == "import":
        if not rest or rest[0] not in IMPORT_COMMANDS:
            print(f"culturehub import: name a source: {', '.join(IMPORT_COMMANDS)}", file=sys.stderr)
            return 2
        return _call(IMPORT_COMMANDS[rest[0]], rest[1:])
    if command == "load-vocabulary":
        return _call("load_vocabulary", rest)
    if command == "classify":
        return _call("classify", rest)
    if command == "outcomes":
        return _call("outcomes", rest)
    if command == "train-tagger":
        return _call("train_tagger", rest)
    if command == "load-demo":
        return _call("load_demo", rest)
    if command == "worker":
        return _worker(rest)
    if command == "manage":
        return _call(rest[0], rest[1:]) if rest else _call("help", [])
    print(f"culturehub: unknown command '{command}'.\n", file=sys.stderr)
    print(USAGE.format(sources=", ".join(IMPORT_COMMANDS)), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
