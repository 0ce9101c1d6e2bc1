"""heartland.simulate stage."""
