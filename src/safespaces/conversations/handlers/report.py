"""REPORT: a report by SMS or WhatsApp, in one message or through a short dialog."""

from __future__ import annotations

from safespaces.conversations import report_dialog
from safespaces.conversations.commands import Turn, command, dialog


@command("report")
def report(turn: Turn) -> str:
    return report_dialog.start(turn)


@dialog(report_dialog.DIALOG)
def report_answer(turn: Turn) -> str:
    return report_dialog.answer(turn)
