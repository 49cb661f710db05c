"""Built-in rules: one module per rule, each registered under ``awesome_lint.rules``."""
