"""What the register import commands share: progress as they go, then each run's summary and log."""

from culturehub.places.imports import ProgressWriter, command_finish


def finish(command, runs) -> None:
    writer = command.writer
    command_finish(runs=runs, writer=writer, write=command.stdout.write)
    for run in runs:
        for line in run.log.splitlines():
            command.stdout.write(f"  {line}")


def writer_for(command) -> ProgressWriter:
    command.writer = ProgressWriter(command.stdout.write)
    return command.writer
