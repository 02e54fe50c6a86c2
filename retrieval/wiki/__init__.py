"""The wiki's content tools: reading pages, checking them, importing exports, summaries.

Pure functions of a content folder: nothing here embeds, indexes or searches.
"""
