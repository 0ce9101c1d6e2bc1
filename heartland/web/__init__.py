"""heartland.web stage."""
