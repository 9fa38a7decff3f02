"""Safe-space venues and the gazetteer of named places."""
