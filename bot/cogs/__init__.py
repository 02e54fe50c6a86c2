"""Features of the bot, one per module; `_private` modules are helpers, not extensions."""
