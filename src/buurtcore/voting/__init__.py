"""Participatory-budgeting voting engine (framework-free).

The public API (tally, RULES) is added by the rules owner; this placeholder only makes
`buurtcore.voting` a regular package so that doctests and relative imports work.
"""
