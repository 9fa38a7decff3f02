"""SMS budgets: GSM-7 160 (153 per part), UCS-2 70 (67 per part). Placeholder split."""

from __future__ import annotations


def split_message(text: str) -> list[str]:
    return [text.strip()]
