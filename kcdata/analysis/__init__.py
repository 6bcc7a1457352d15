"""Analyses of the listing table: summaries, comparison, themes, search."""
