"""``python -m rammeaftale``: the same as the ``rammeaftale`` console script."""

import sys

from rammeaftale.cli import main

sys.exit(main())
