"""heartland.forecast stage."""
