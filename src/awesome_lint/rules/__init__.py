"""Built-in rules: one module per rule (helpers start with ``_``), found by the registry."""
