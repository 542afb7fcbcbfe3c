"""Picking a point on a map: pixel → lon/lat, and whether it lies inside an area."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from buurtcore.geo import contains_point, fit_projection

lon = st.floats(min_value=3.0, max_value=7.5, allow_nan=False)
lat = st.floats(min_value=50.5, max_value=53.7, allow_nan=False)


@given(st.lists(st.tuples(lon, lat), min_size=2, max_size=20), st.tuples(lon, lat))
def test_unproject_inverts_project_up_to_the_rounding_to_a_tenth_of_a_pixel(points, point):
    projection = fit_projection([*points, point], width=320, margin=10)
    back_lon, back_lat = projection.unproject(*projection.project(*point))
    # a tenth of a pixel, in degrees
    assert back_lon == pytest.approx(point[0], abs=0.06 / (projection.scale * projection.cos_lat))
    assert back_lat == pytest.approx(point[1], abs=0.06 / projection.scale)


@given(
    st.floats(min_value=-1, max_value=5, allow_nan=False),
    st.floats(min_value=-1, max_value=5, allow_nan=False),
)
def test_a_rectangle_contains_exactly_the_points_between_its_edges(x, y):
    rectangle = {"type": "Polygon", "coordinates": [[[0, 0], [4, 0], [4, 3], [0, 3], [0, 0]]]}
    if x in (0, 4) or y in (0, 3):
        return  # on an edge either answer is allowed
    assert contains_point(rectangle, x, y) == (0 < x < 4 and 0 < y < 3)


def test_a_multipolygon_contains_points_in_each_part_but_not_between_them():
    left = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]
    right = [[[2, 0], [3, 0], [3, 1], [2, 1], [2, 0]]]
    geometry = {"type": "MultiPolygon", "coordinates": [left, right]}
    assert contains_point(geometry, 0.5, 0.5)
    assert contains_point(geometry, 2.5, 0.5)
    assert not contains_point(geometry, 1.5, 0.5)


def test_a_concave_area_excludes_its_notch():
    # a U shape: the notch between the arms lies outside
    u_shape = [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]]
    geometry = {"type": "Polygon", "coordinates": u_shape}
    assert not contains_point(geometry, 1.5, 2)
    assert contains_point(geometry, 0.5, 2)
    assert contains_point(geometry, 1.5, 0.5)
