"""orgbot's front ends: the Discord bot and the `orgbot` command line.

Both only render what `retrieval` returns; neither knows about FAISS or SQL.
"""
