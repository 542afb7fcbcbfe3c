"""Demo data for volunteers and tasks (filled in by the app's demo loader)."""


def load_demo_volunteering(stdout=None):
    """Load the demo's volunteers and tasks (nothing yet)."""
