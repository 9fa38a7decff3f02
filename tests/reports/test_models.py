from __future__ import annotations

from safespaces.reports.models import PUBLIC_ID_ALPHABET, PUBLIC_ID_LENGTH, Category, new_public_id


def test_public_ids_are_ten_unambiguous_characters() -> None:
    for _round in range(200):
        public_id = new_public_id()
        assert len(public_id) == PUBLIC_ID_LENGTH
        assert set(public_id) <= set(PUBLIC_ID_ALPHABET)
    assert not set("ILOU") & set(PUBLIC_ID_ALPHABET)


def test_public_ids_are_random_not_sequential() -> None:
    ids = {new_public_id() for _round in range(1000)}
    assert len(ids) == 1000


def test_a_category_is_named_in_the_asked_language_or_in_english() -> None:
    category = Category(key="catcalls", name_en="Catcalls", name_ar="معاكسة", name_fr="Sifflements",
                        name_es="Piropos")  # fmt: skip
    assert category.name("ar") == "معاكسة"
    assert category.name("fr-CA") == "Sifflements"
    assert category.name("de") == "Catcalls"
