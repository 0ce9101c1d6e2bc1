"""heartland.corpus stage."""
