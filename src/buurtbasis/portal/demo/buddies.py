"""Demo data for buddy households (filled in by the app's demo loader)."""


def load_demo_buddies(stdout=None):
    """Load the demo's buddy households (nothing yet)."""
