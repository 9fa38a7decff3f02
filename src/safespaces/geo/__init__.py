"""Points, H3 cells and distances shared by every domain."""
