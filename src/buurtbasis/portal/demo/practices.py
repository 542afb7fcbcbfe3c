"""Demo data for what works: practice pages (filled in by the app's demo loader)."""


def load_demo_practices(stdout=None):
    """Load the demo's what works: practice pages (nothing yet)."""
