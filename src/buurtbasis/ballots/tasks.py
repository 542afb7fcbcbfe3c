"""Background tasks of the ballots app (counting is in ``counting``)."""

from __future__ import annotations

from buurtbasis.platform.tasks import background

from . import letters


# A retry discards the codes of the attempt that did not finish and prints anew.
@background(retries=2)
def print_letters_task(run_id: int) -> str:
    """Make the codes of one letter run and print them into a PDF in private storage."""
    return letters.print_run(run_id)
