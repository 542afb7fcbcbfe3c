"""Data files of buurtcore.text (the Dutch stop-word list)."""
