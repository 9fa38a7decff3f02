"""What callers hear: every prompt a whole translated sentence, said in the caller's language."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils.translation import gettext, override

from safespaces.conversations.voice.steps import Say

# The language menu: each line in its own language, in this order of keys.
LANGUAGE_KEYS = {"1": "en", "2": "ar", "3": "fr", "4": "es"}


def spoken_number(number: str) -> str:
    """A phone number as digits apart, so text-to-speech reads "0 1 2" and not "twelve"."""
    return " ".join(character for character in number if character.isdigit() or character == "+")


def say(language: str, text: Callable[[], str]) -> Say:
    """`text()` evaluated under the caller's language, ready to be said in it."""
    with override(language):
        return Say(text(), language)


def language_line(language: str) -> Say:
    lines = {
        "en": lambda: gettext("For English, press 1."),
        "ar": lambda: gettext("For Arabic, press 2."),
        "fr": lambda: gettext("For French, press 3."),
        "es": lambda: gettext("For Spanish, press 4."),
    }
    return say(language, lines[language])


def language_menu() -> tuple[Say, ...]:
    return tuple(language_line(language) for language in LANGUAGE_KEYS.values())


def main_menu(language: str) -> Say:
    return say(
        language,
        lambda: gettext(
            "To find the nearest safe space, press 1. To leave a recorded report, press 2. "
            "To speak to a counsellor, press 3. To hear these options again, press 0."
        ),
    )


def alert_offer(language: str) -> Say:
    return say(language, lambda: gettext("To raise an alert now, press 9."))


def alert_sent(language: str) -> Say:
    return say(
        language,
        lambda: gettext("Your alert has been sent to your contacts and to our duty team."),
    )


def talk_offer(language: str) -> Say:
    return say(
        language,
        lambda: gettext("To speak to someone now, press 3. To hear all the options, press 0."),
    )


def not_understood(language: str) -> Say:
    return say(language, lambda: gettext("Sorry, we did not understand your answer."))


def goodbye(language: str) -> Say:
    helpline = settings.SAFESPACES_HELPLINE.strip()
    if helpline:
        return say(
            language,
            lambda: (
                gettext("Goodbye. If you need help, call %(helpline)s.")
                % {"helpline": spoken_number(helpline)}
            ),
        )
    return say(language, lambda: gettext("Goodbye. Please call again whenever you need to."))


def place_question(language: str, speech: bool) -> Say:
    if speech:
        return say(
            language,
            lambda: gettext(
                "Say the name of the area you are in, or key in its district code and then "
                "press the hash key."
            ),
        )
    return say(
        language,
        lambda: gettext("Key in the district code of your area, then press the hash key."),
    )


def unknown_district(language: str, code: str) -> Say:
    return say(
        language,
        lambda: (
            gettext("We do not know the district code %(code)s.") % {"code": spoken_number(code)}
        ),
    )


def consent_question(language: str) -> Say:
    return say(
        language,
        lambda: gettext(
            "To leave a report, we need your agreement to record your message. It is kept "
            "encrypted and only our moderators listen to it. To agree, press 1. To go back to "
            "the menu, press any other key."
        ),
    )


def nothing_recorded(language: str) -> Say:
    return say(language, lambda: gettext("Nothing was recorded."))


def role_question(language: str) -> Say:
    return say(
        language,
        lambda: gettext(
            "If it happened to you, press 1. If you saw it happen to someone else, press 2. "
            "If someone told you about it, press 3."
        ),
    )


def record_instructions(language: str) -> Say:
    return say(
        language,
        lambda: gettext(
            "After the beep, tell us what happened, where and when. Press the hash key when "
            "you have finished."
        ),
    )


def report_received(language: str) -> Say:
    return say(
        language,
        lambda: gettext(
            "Thank you. Your report has been recorded, and a moderator will listen to it."
        ),
    )


def no_recording(language: str) -> Say:
    return say(language, lambda: gettext("We did not receive a recording."))


def connecting(language: str) -> Say:
    return say(
        language, lambda: gettext("We are connecting you to a counsellor. Please stay on the line.")
    )


def no_counsellor_configured(language: str) -> Say:
    return say(
        language, lambda: gettext("No counsellor can take calls on this line at the moment.")
    )


def no_counsellor_answered(language: str) -> Say:
    return say(language, lambda: gettext("We are sorry, no counsellor could answer your call."))


def recording_offer(language: str) -> Say:
    return say(
        language,
        lambda: gettext("To leave a recorded report, press 2. To hear all the options, press 0."),
    )


def helpline_offer(language: str) -> Say | None:
    helpline = settings.SAFESPACES_HELPLINE.strip()
    if not helpline:
        return None
    return say(
        language,
        lambda: (
            gettext("You can also call the helpline on %(helpline)s.")
            % {"helpline": spoken_number(helpline)}
        ),
    )
