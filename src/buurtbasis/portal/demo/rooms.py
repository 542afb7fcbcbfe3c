"""Demo data for rooms offered by partners (filled in by the app's demo loader)."""


def load_demo_rooms(stdout=None):
    """Load the demo's rooms offered by partners (nothing yet)."""
