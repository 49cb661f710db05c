"""Link health: a library (``check_links``) that the CLI is one client of.

Importing this package imports aiohttp: the offline linter never imports it.
"""
