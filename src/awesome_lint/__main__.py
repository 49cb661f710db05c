"""Allow ``python -m awesome_lint``."""

from awesome_lint.cli import main

main()
