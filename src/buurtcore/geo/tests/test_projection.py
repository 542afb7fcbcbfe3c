import pytest
from hypothesis import given
from hypothesis import strategies as st

from buurtcore.geo import fit_projection, path_data, validate_geometry

lon = st.floats(min_value=3.0, max_value=7.5, allow_nan=False)
lat = st.floats(min_value=50.5, max_value=53.7, allow_nan=False)


@given(st.lists(st.tuples(lon, lat), min_size=2, max_size=50))
def test_it_keeps_every_point_inside_the_canvas(points):
    projection = fit_projection(points, width=600, margin=4)
    for point in points:
        x, y = projection.project(*point)
        assert -0.1 <= x <= 600.1
        assert -0.1 <= y <= projection.height + 0.1


def test_it_puts_north_up_and_corrects_longitude_for_latitude():
    # 1° of longitude at 52.5°N is ~0.61 of 1° latitude, so a 1°×1° box is tall.
    projection = fit_projection([(6.0, 52.0), (7.0, 53.0)], width=100, margin=0)
    assert projection.project(6.0, 53.0) == (0.0, 0.0)
    assert projection.height == pytest.approx(100 / 0.6088, rel=1e-3)


def test_it_writes_one_subpath_per_ring_including_holes():
    outer = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]
    hole = [[1, 1], [2, 1], [2, 2], [1, 2], [1, 1]]
    geometry = {"type": "MultiPolygon", "coordinates": [[outer, hole], [outer]]}
    assert validate_geometry(geometry) is None
    projection = fit_projection([(0, 0), (4, 4)], width=40, margin=0)
    assert path_data(geometry, projection).count("M") == 3


@pytest.mark.parametrize(
    ("geometry", "code"),
    [
        (None, "missing"),
        ({"type": "Polygon", "coordinates": "x"}, "structure"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, "a"], [1, 1], [0, 0]]]}, "coordinate"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 95], [1, 1], [0, 0]]]}, "latitude"),
        ({"type": "MultiPolygon", "coordinates": []}, "structure"),
    ],
)
def test_it_names_what_is_wrong_with_a_geometry(geometry, code):
    assert validate_geometry(geometry).code == code
