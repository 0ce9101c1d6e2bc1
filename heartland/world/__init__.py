"""heartland.world stage."""
