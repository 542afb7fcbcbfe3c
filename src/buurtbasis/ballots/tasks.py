"""Background tasks of the ballots app (counting is in ``counting``)."""

from __future__ import annotations

from buurtbasis.platform.tasks import task

from . import letters


@task()
def print_letters_task(run_id: int) -> str:
    """Make the codes of one letter run and print them into a PDF in private storage."""
    return letters.print_run(run_id)
