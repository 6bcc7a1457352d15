"""Reading: a source (text, spreadsheet) -> the listing table, as a plan's layout says."""
