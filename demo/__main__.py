"""``python -m demo`` (what ``scripts/dev demo`` runs): the simulated blue/green deployments, see demo/run.py."""

import sys

from demo.run import main

sys.exit(main())
