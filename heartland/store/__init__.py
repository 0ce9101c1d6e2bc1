"""heartland.store stage."""
