"""python -m assessment.cli: the same as the cxassess command."""

import sys

from assessment.cli import main

sys.exit(main())
