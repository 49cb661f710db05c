"""awesome-lint: lint, fix and check the links of curated Markdown lists."""

__version__ = "0.1.0"
