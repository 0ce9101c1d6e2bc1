"""heartland.extract stage."""
