"""Readers of venue files: plain CSV, GeoJSON, OpenStreetMap extracts and HSDS 3.0.

Each reader turns a file into VenueRecords and per-row errors; places.importing stores them.
"""
