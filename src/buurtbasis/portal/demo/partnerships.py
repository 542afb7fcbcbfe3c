"""Demo data for partnerships and their health (filled in by the app's demo loader)."""


def load_demo_partnerships(stdout=None):
    """Load the demo's partnerships and their health (nothing yet)."""
