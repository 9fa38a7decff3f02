"""A location as kept (encrypted) on a person and in an alert's timeline: a point and/or words.

Stored as a small JSON object, so pages can show the place words and draw a map only when a
point exists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    latitude: float | None = None
    longitude: float | None = None
    place: str = ""

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def is_empty(self) -> bool:
        return not self.has_point and not self.place

    def encode(self) -> str:
        return json.dumps(
            {"lat": self.latitude, "lon": self.longitude, "place": self.place},
            ensure_ascii=False,
            separators=(",", ":"),
        )

    def describe(self) -> str:
        """Words and coordinates as one line for a text message."""
        parts = [self.place] if self.place else []
        if self.has_point:
            parts.append(f"{self.latitude:.5f},{self.longitude:.5f}")
        return " ".join(parts)


def decode_location(text: str | None) -> Location:
    """The stored form back; anything unreadable is no location at all."""
    if not text:
        return Location()
    try:
        data = json.loads(text)
        latitude, longitude = data.get("lat"), data.get("lon")
        return Location(
            latitude=float(latitude) if latitude is not None else None,
            longitude=float(longitude) if longitude is not None else None,
            place=str(data.get("place") or ""),
        )
    except (ValueError, TypeError, AttributeError):
        return Location()
