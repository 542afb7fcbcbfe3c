"""Demo data for hand-over and continuity (filled in by the app's demo loader)."""


def load_demo_continuity(stdout=None):
    """Load the demo's hand-over and continuity (nothing yet)."""
