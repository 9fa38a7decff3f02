"""The gazetteer: named places imported by the organisation, found by fuzzy name matching."""
