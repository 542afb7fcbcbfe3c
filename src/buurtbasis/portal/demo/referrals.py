"""Demo data for social map and warm referral (filled in by the app's demo loader)."""


def load_demo_referrals(stdout=None):
    """Load the demo's social map and warm referral (nothing yet)."""
