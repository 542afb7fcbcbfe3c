"""Background tasks of the ballots app (counting is in ``counting``)."""

from __future__ import annotations

from buurtbasis.platform.tasks import background

from . import letters


@background(retries=2, backoff=30)
def print_letters_task(run_id: int) -> str:
    """Make the codes of one letter run and print them into a PDF in private storage."""
    return letters.print_run(run_id)
