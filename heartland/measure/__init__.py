"""heartland.measure stage."""
