from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safespaces.reports.taxonomy import (
    GBVIMS,
    GBVIMS_NON_GBV,
    GBVIMS_ORDER,
    LANGUAGES,
    PRESETS,
    UnknownPreset,
    gbvims_type,
    preset,
)


def test_it_ships_the_four_presets() -> None:
    assert set(PRESETS) == {"street_harassment", "gbvims", "trafficking", "human_rights_defenders"}


def test_category_keys_are_slugs_unique_across_presets() -> None:
    keys = [term.key for chosen in PRESETS.values() for term in chosen.terms]
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]{0,63}", key) for key in keys)


def test_every_category_has_a_name_in_every_language() -> None:
    for chosen in PRESETS.values():
        for term in chosen.terms:
            names = term.names()
            assert set(names) == set(LANGUAGES)
            assert all(name.strip() for name in names.values()), term.key


def test_arabic_names_are_written_in_arabic() -> None:
    for chosen in PRESETS.values():
        for term in chosen.terms:
            assert re.search("[\u0600-\u06ff]", term.ar), term.key


def test_street_harassment_holds_the_harassmap_and_safecity_categories() -> None:
    keys = {term.key for term in preset("street_harassment").terms}
    assert {
        "touching", "catcalls", "ogling", "comments", "stalking", "phone_calls",
        "indecent_exposure", "sexual_invites", "facial_expressions", "sexual_assault", "rape",
        "unwanted_attention", "sexual_photos", "mob_attack", "online", "threat",
    } <= keys  # fmt: skip


def test_gbvims_types_keep_the_classification_order() -> None:
    assert GBVIMS_ORDER == (
        "gbv_rape",
        "gbv_sexual_assault",
        "gbv_physical_assault",
        "gbv_forced_marriage",
        "gbv_denial_of_resources",
        "gbv_psychological_abuse",
    )
    assert [term.key for term in GBVIMS.terms] == [*GBVIMS_ORDER, GBVIMS_NON_GBV]


def test_the_first_yes_wins_in_gbvims_order() -> None:
    answers = {"gbv_psychological_abuse": True, "gbv_physical_assault": True, "gbv_rape": False}
    assert gbvims_type(answers) == "gbv_physical_assault"


def test_rape_wins_over_every_other_type() -> None:
    assert gbvims_type(dict.fromkeys(GBVIMS_ORDER, True)) == "gbv_rape"


def test_no_yes_means_not_gender_based_violence() -> None:
    assert gbvims_type({}) == GBVIMS_NON_GBV
    assert gbvims_type(dict.fromkeys(GBVIMS_ORDER, False)) == GBVIMS_NON_GBV


@given(st.dictionaries(st.sampled_from(GBVIMS_ORDER), st.booleans()))
def test_the_type_is_the_earliest_yes_for_any_answers(answers: dict[str, bool]) -> None:
    yes = [key for key in GBVIMS_ORDER if answers.get(key)]
    assert gbvims_type(answers) == (yes[0] if yes else GBVIMS_NON_GBV)


def test_an_unknown_preset_is_refused() -> None:
    with pytest.raises(UnknownPreset):
        preset("weather")
