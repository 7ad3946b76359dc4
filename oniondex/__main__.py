import sys

from oniondex.cli import main

sys.exit(main())
