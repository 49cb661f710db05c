"""Link health: a library (``check_links``) that the CLI is one client of.

Importing this package imports nothing; `checker`, `safety` and `github` import aiohttp, and only
`api.check_urls` imports them, when a link must be fetched (not when the cache answers all).
"""
