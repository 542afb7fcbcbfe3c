"""Demo data for asking peers and exchange meetings (filled in by the app's demo loader)."""


def load_demo_exchange(stdout=None):
    """Load the demo's asking peers and exchange meetings (nothing yet)."""
