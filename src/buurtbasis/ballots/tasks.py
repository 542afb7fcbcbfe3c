"""Background tasks of the ballots app (counting is in ``counting``)."""

from __future__ import annotations

from buurtbasis.platform.tasks import background

from . import letters


@background(retries=2, backoff=60)
def purge_old_letters() -> int:
    """Delete letter PDFs older than ``LETTERS_KEEP_DAYS`` (scheduled daily)."""
    from . import services

    return services.purge_old_letter_runs()


@background(retries=2, backoff=30)
def print_letters_task(run_id: int) -> str:
    """Make the codes of one letter run and print them into a PDF in private storage."""
    return letters.print_run(run_id)
