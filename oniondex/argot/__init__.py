"""Drug argot: normalising disguised spellings, the sourced term list, deciding "sale" from context, and
expanding a search for a drug to every slang word for it. `oniondex.tagging` is the page-level entry point."""
