"""What the budgets app announces to the floors above it.

Budgets sits below ballots, so it never calls into ballots: it announces, and the app
that owns counting (``ballots.counting``) answers by enqueueing the count.
"""

from __future__ import annotations

from django.dispatch import Signal

#: Sent inside the transaction that asks for a count: when voting closes (the round
#: enters its results phase) and when a civil servant asks for a recount or a retry.
#: Keyword arguments: ``budget_round``, ``request`` (the round's count request number,
#: which the count must carry) and ``actor`` (a user or None for the scheduler).
count_requested = Signal()

#: Sent before a round leaves its voting phase (inside the transaction that holds the
#: round's row). A receiver answers with a list of reasons why voting cannot close yet,
#: each a dict ``{"text": str, "url": str or None}`` (empty when nothing holds it), e.g.
#: ballots: a paper batch that waits for its second person. Keyword argument:
#: ``budget_round``.
voting_close_blockers = Signal()

#: Sent to collect the support gathered so far for a round's plans, for the civil
#: servant's preview of what each rule would fund. A receiver answers with None (it has
#: nothing for this round) or a dict ``{"kind": str, "support": {plan_id: set of
#: supporter ids}}``; ``kind`` is ``"votes"`` (ballots cast so far, while voting is open)
#: or ``"supporters"``. Keyword argument: ``budget_round``.
support_requested = Signal()
