"""`python -m kamdata ...` entry point."""

import sys

from kamdata.cli import main

sys.exit(main())
