"""python -m scripts.spec_diff: see scripts/spec_diff/__init__.py."""

import sys

from .cli import main

sys.exit(main())
