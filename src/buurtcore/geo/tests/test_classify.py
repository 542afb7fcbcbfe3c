from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from buurtcore.geo import PALETTE, class_breaks, class_index

values = st.lists(
    st.decimals(min_value=-1000, max_value=100000, places=2, allow_nan=False), min_size=1
)


@given(values, st.sampled_from(["quantile", "equal"]))
def test_it_puts_every_value_in_one_of_at_most_five_classes(data, method):
    breaks = class_breaks(data, method=method)
    assert breaks[0] == min(data) and breaks[-1] == max(data)
    assert breaks == sorted(breaks)
    assert len(breaks) - 1 <= len(PALETTE)
    for value in data:
        assert 0 <= class_index(value, breaks) < max(len(breaks) - 1, 1)


@given(values)
def test_it_keeps_the_order_of_values(data):
    breaks = class_breaks(data)
    ranked = sorted(data)
    classes = [class_index(v, breaks) for v in ranked]
    assert classes == sorted(classes)


def test_it_splits_sixteen_wijken_into_five_nearly_equal_quantile_classes():
    data = [Decimal(v) for v in range(1, 17)]
    breaks = class_breaks(data)
    sizes = [0] * (len(breaks) - 1)
    for value in data:
        sizes[class_index(value, breaks)] += 1
    assert sizes == [3, 3, 3, 3, 4]


def test_it_uses_a_sequential_palette_from_light_to_dark():
    def luminance(hex_colour):
        r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    assert [luminance(c) for c in PALETTE] == sorted((luminance(c) for c in PALETTE), reverse=True)
