"""The participatory-budgeting rules (one module per rule); see :func:`buurtcore.voting.tally`."""
