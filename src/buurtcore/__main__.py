"""``python -m buurtcore``: the same command line as ``buurtbasis``."""

import sys

from buurtcore.cli import main

if __name__ == "__main__":
    sys.exit(main())
