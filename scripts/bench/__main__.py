"""python -m scripts.bench: see scripts/bench/__init__.py."""

import sys

from .cli import main

sys.exit(main())
