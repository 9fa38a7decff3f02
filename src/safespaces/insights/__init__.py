"""Hotspots, trends and gaps in the safe-space network."""
