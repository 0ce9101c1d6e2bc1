"""heartland.report stage."""
