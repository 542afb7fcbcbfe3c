"""Framework-free algorithms for Buurtbasis: voting rules, matching, text analysis.

Nothing in this package imports Django (a test checks this).
"""
