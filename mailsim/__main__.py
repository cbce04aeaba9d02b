"""`python -m mailsim` is `mailsim`."""

import sys

from mailsim.cli import main

sys.exit(main())
