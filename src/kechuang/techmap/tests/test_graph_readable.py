"""The network diagram keeps its names readable (people38): a name that would be written over another is
hidden until its node is pointed at, and the nodes start below the legend (zoomed out a little), where the
demo's 60 nodes had been drawn with their names over each other and a chain's node under the legend."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_network_diagram_hides_overlapping_names_below_its_legend(client_for):
    page = client_for(None).get("/techmap/graph/").content.decode()
    assert "labelLayout: {hideOverlap: true}" in page and "top: 48, zoom: 0.85" in page
