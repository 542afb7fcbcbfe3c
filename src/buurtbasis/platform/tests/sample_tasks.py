"""Tasks for the task tests: importable by path, so every backend can run them."""

from __future__ import annotations

from buurtbasis.platform.tasks import background

#: (task name, keyword arguments) of every call, in order; the tests clear it.
CALLS: list[tuple[str, dict]] = []


@background(retries=2, backoff=30)
def flaky(key: str, failures: int) -> str:
    """Fail the first ``failures`` calls for ``key``, then succeed."""
    CALLS.append(("flaky", {"key": key, "failures": failures}))
    if sum(1 for name, kw in CALLS if name == "flaky" and kw["key"] == key) <= failures:
        raise RuntimeError(f"flaky {key} failed on purpose")
    return f"done {key}"


@background(retries=1, backoff=0)
def always_fails(item_id: int, note: str = "") -> None:
    CALLS.append(("always_fails", {"item_id": item_id, "note": note}))
    raise ValueError(f"item {item_id} cannot be handled")


@background(retries=0, takes_context=True)
def with_context(context, value: int) -> int:
    CALLS.append(("with_context", {"value": value, "attempt": context.attempt}))
    return value * 2


@background(retries=0)
def tick(label: str = "") -> str:
    CALLS.append(("tick", {"label": label}))
    return label
