"""REPORT by SMS through receive_message: one message, the dialog, its timeout, idempotency."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from safespaces.conversations.models import Correspondent
from safespaces.reports.models import Category, Report
from tests.conversations.conftest import Send, answers, last_answer

pytestmark = pytest.mark.usefixtures("categories", "gazetteer")

# Times are read in the deployment's local time (settings.TIME_ZONE, UTC in the tests).
NOW = datetime.datetime(2026, 11, 24, 21, 15, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def travel(monkeypatch: pytest.MonkeyPatch, minutes: int) -> None:
    later = NOW + datetime.timedelta(minutes=minutes)
    monkeypatch.setattr(timezone, "now", lambda: later)


def test_a_complete_report_in_one_message_asks_only_for_consent(send: Send, settings) -> None:
    settings.SAFESPACES_HELPLINE = "+20 2 1234 5678"
    send("REPORT groping near Tahrir Square at 8pm")
    assert "public map" in last_answer()
    assert not Report.objects.exists()
    send("yes")
    report = Report.objects.get()
    assert [category.key for category in report.categories.all()] == ["touching"]
    assert report.place_text == "Tahrir Square"
    assert report.point == (30.0444, 31.2357)
    assert report.precision == Report.Precision.STREET
    assert report.time_from == datetime.time(20, 0)
    assert report.occurred_on == datetime.date(2026, 11, 24)
    assert report.channel == Report.Channel.SMS
    assert report.reporter_role == Report.ReporterRole.HAPPENED_TO_ME
    assert report.consent_public is True
    assert not report.contact
    assert report.public_id in last_answer() and "+20 2 1234 5678" in last_answer()
    assert Correspondent.objects.get().dialog == ""


def test_the_dialog_asks_for_what_is_missing(send: Send) -> None:
    send("REPORT")
    assert last_answer().startswith("What happened?")
    send("someone was following me")
    assert last_answer().startswith("Where did it happen?")
    send("near the zamalek bridge")
    assert "public map" in last_answer()
    send("no")
    report = Report.objects.get()
    assert [category.key for category in report.categories.all()] == ["stalking"]
    assert report.place_text == "the zamalek bridge"
    assert report.consent_public is False
    assert report.public_id in last_answer()


def test_a_time_alone_is_not_taken_for_the_place(send: Send) -> None:
    send("REPORT catcalls")
    send("at 8pm")
    assert last_answer().startswith("Where did it happen?")
    send("the old bakery")
    send("no")
    report = Report.objects.get()
    assert report.place_text == "the old bakery"
    assert report.time_from == datetime.time(20, 0)


def test_unclear_words_bring_a_numbered_list(send: Send) -> None:
    send("REPORT something bad at Tahrir Square")
    send("I do not know how to say it")
    assert "1 Touching or groping" in " ".join(answers()[-3:])
    send("٢")  # Arabic-Indic digit: the second category
    send("no")
    report = Report.objects.get()
    assert [category.key for category in report.categories.all()] == [
        Category.objects.order_by("order", "key")[1].key
    ]


def test_an_arabic_report_in_one_message(send: Send) -> None:
    send("بلاغ تحرش جسدي عند ميدان التحرير الساعة ٨ مساءً")
    send("نعم")
    report = Report.objects.get()
    assert report.language == "ar"
    assert [category.key for category in report.categories.all()] == ["touching"]
    assert report.point == (30.0444, 31.2357)
    assert report.time_from == datetime.time(20, 0)
    assert report.consent_public is True


def test_french_and_spanish_reports(send: Send) -> None:
    send("SIGNALER sifflements hier soir près de Gare de Lyon", sender="+33612345678")
    send("non", sender="+33612345678")
    send("REPORTAR tocamientos ayer a las 9 cerca de Plaza Mayor", sender="+34612345678")
    send("si", sender="+34612345678")
    french, spanish = Report.objects.order_by("pk")
    assert french.language == "fr" and french.place_text == "Gare de Lyon"
    assert [category.key for category in french.categories.all()] == ["catcalls"]
    assert french.occurred_on < timezone.localdate(NOW)
    assert spanish.language == "es" and spanish.consent_public is True
    assert [category.key for category in spanish.categories.all()] == ["touching"]


def test_an_expired_dialog_starts_over(
    send: Send, monkeypatch: pytest.MonkeyPatch, settings
) -> None:
    settings.SAFESPACES_DIALOG_TIMEOUT_MINUTES = 30
    send("REPORT")
    travel(monkeypatch, 31)
    send("someone was following me")
    assert last_answer().startswith("Send REPORT")  # the menu: the old question has expired
    assert Correspondent.objects.get().dialog == ""
    send("REPORT stalking near Tahrir Square")
    send("yes")
    assert Report.objects.count() == 1


def test_within_the_timeout_the_dialog_goes_on(send: Send, monkeypatch: pytest.MonkeyPatch) -> None:
    send("REPORT")
    travel(monkeypatch, 29)
    send("catcalls at Tahrir Square")
    assert "public map" in last_answer()


def test_stop_or_another_keyword_abandons_the_dialog(send: Send) -> None:
    send("REPORT")
    send("SAFE Tahrir Square")
    assert Correspondent.objects.get().dialog == ""
    send("someone followed me")
    assert not Report.objects.exists()
    assert last_answer().startswith("Send REPORT")


def test_a_retried_report_message_makes_one_report(send: Send) -> None:
    from safespaces.conversations.actions import receive_message
    from safespaces.outbox.gateways.base import Incoming

    send("REPORT groping near Tahrir Square")
    final = Incoming("console", "sms", "retry-me", "+201001234567", "yes")
    receive_message(final)
    assert receive_message(final).duplicate
    assert Report.objects.count() == 1


def test_the_place_the_gazetteer_knows_wins_over_the_first_phrase(send: Send) -> None:
    send("REPORT groping in the metro near Tahrir Square")
    send("no")
    report = Report.objects.get()
    assert report.place_text == "Tahrir Square"
    assert report.point == (30.0444, 31.2357)


def test_an_unknown_place_is_kept_as_written(send: Send) -> None:
    send("REPORT groping near the old bakery")
    assert "public map" in last_answer()
    send("no")
    report = Report.objects.get()
    assert report.place_text == "the old bakery"
    assert report.point is None
    assert report.precision == Report.Precision.AREA


def test_whatsapp_reports_keep_their_channel(send: Send) -> None:
    send("REPORT catcalls near Zamalek", sender="whatsapp:+201001234567", channel="whatsapp")
    send("no", sender="whatsapp:+201001234567", channel="whatsapp")
    assert Report.objects.get().channel == Report.Channel.WHATSAPP


def test_the_phone_number_is_nowhere_in_the_report(send: Send) -> None:
    send("REPORT groping near Tahrir Square")
    send("yes")
    report = Report.objects.get()
    assert "1001234567" not in f"{report.description} {report.place_text} {report.contact}"
