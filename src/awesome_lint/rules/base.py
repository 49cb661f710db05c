"""The old import path of the rule API, kept for plugins: use :mod:`awesome_lint.rule`."""

from awesome_lint.findings import Severity, Violation
from awesome_lint.rule import Option, Rule

__all__ = ["Option", "Rule", "Severity", "Violation"]
