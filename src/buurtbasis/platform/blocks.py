"""Page blocks that apps contribute to pages of other apps, without importing upward.

A page on a lower floor (an organisation's page) or on the top floor (my dashboard)
shows blocks that apps above or beside it register in their ``AppConfig.ready``::

    from buurtbasis.platform.blocks import register_block

    register_block(
        "dashboard",
        key="budgets.my_plans",
        template="budgets/_dashboard.html",
        context=my_plans_block,   # (request, **page_objects) -> dict, or None to hide
        order=30,
    )

The page renders them with ``{% for block in blocks %}{% include block.template with
block=block.context %}{% endfor %}`` after ``blocks = blocks_for("dashboard", request)``.

A block may also appear where there is no request, such as a PDF made by a background
task: give ``pdf_context`` (``(**page_objects) -> dict``, or None to hide; the page
passes its objects and the ``language``) and render ``pdf_blocks_for(page, **objects)``
the same way. The block's template sees ``block.print`` set to True there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Block", "RenderedBlock", "blocks_for", "pdf_blocks_for", "register_block"]


@dataclass(frozen=True)
class Block:
    page: str
    key: str
    template: str
    context: Callable[..., dict[str, Any] | None]
    order: int = 100
    pdf_context: Callable[..., dict[str, Any] | None] | None = None


@dataclass(frozen=True)
class RenderedBlock:
    key: str
    template: str
    context: dict[str, Any]


_blocks: dict[str, dict[str, Block]] = {}


def register_block(
    page: str,
    *,
    key: str,
    template: str,
    context: Callable[..., dict[str, Any] | None],
    order: int = 100,
    pdf_context: Callable[..., dict[str, Any] | None] | None = None,
) -> Block:
    """Add (or replace) the block ``key`` on ``page``."""
    block = Block(
        page=page,
        key=key,
        template=template,
        context=context,
        order=order,
        pdf_context=pdf_context,
    )
    _blocks.setdefault(page, {})[key] = block
    return block


def blocks_for(page: str, request, **objects) -> list[RenderedBlock]:
    """The blocks of ``page`` that have something to show, in their order."""
    shown = []
    for block in sorted(_blocks.get(page, {}).values(), key=lambda b: (b.order, b.key)):
        context = block.context(request, **objects)
        if context is not None:
            shown.append(RenderedBlock(block.key, block.template, context))
    return shown


def pdf_blocks_for(page: str, **objects) -> list[RenderedBlock]:
    """The blocks of ``page`` that offer a ``pdf_context`` and have something to show,
    in their order, without a request (for documents made in the background)."""
    shown = []
    for block in sorted(_blocks.get(page, {}).values(), key=lambda b: (b.order, b.key)):
        if block.pdf_context is None:
            continue
        context = block.pdf_context(**objects)
        if context is not None:
            shown.append(RenderedBlock(block.key, block.template, {**context, "print": True}))
    return shown
