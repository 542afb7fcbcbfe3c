"""Page blocks: in their order, hidden when their context is None, and in a PDF (no
request) only when they offer a ``pdf_context``."""

import pytest

from buurtbasis.platform import blocks


@pytest.fixture
def page_name():
    name = "test-page"
    yield name
    blocks._blocks.pop(name, None)


def test_blocks_come_in_order_and_hide_themselves(page_name):
    blocks.register_block(
        page_name, key="b", template="b.html", context=lambda r, **o: {"n": o["n"]}, order=20
    )
    blocks.register_block(page_name, key="a", template="a.html", context=lambda r, **o: {}, order=1)
    blocks.register_block(page_name, key="hidden", template="h.html", context=lambda r, **o: None)
    shown = blocks.blocks_for(page_name, None, n=3)
    assert [(b.key, b.context) for b in shown] == [("a", {}), ("b", {"n": 3})]


def test_a_pdf_gets_only_the_blocks_that_can_be_printed(page_name):
    blocks.register_block(page_name, key="web", template="w.html", context=lambda r, **o: {})
    blocks.register_block(
        page_name,
        key="both",
        template="both.html",
        context=lambda r, **o: {"who": r.user},  # needs a request
        pdf_context=lambda *, area, language, **o: {"area": area, "language": language},
    )
    blocks.register_block(
        page_name,
        key="empty",
        template="e.html",
        context=lambda r, **o: {},
        pdf_context=lambda **o: None,
    )
    shown = blocks.pdf_blocks_for(page_name, area="Centrum", language="nl")
    assert [(b.key, b.template, b.context) for b in shown] == [
        ("both", "both.html", {"area": "Centrum", "language": "nl", "print": True})
    ]
