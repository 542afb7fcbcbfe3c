"""Demo data: a municipality with organisations, initiatives and buurtbudget rounds."""
