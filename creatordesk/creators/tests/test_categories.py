"""The category synonym table: marketplace labels in English and German end up as CreatorDesk's keys."""

from __future__ import annotations

import pytest

from creatordesk.creators.categories import (
    CATEGORY_KEYS,
    SYNONYMS,
    canonical_category,
    category_key,
    normalise_label,
)


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Beauty & Personal Care", "beauty"),
        ("Beauty & Körperpflege", "beauty"),
        ("beauty and personal care", "beauty"),
        ("Womenswear & Underwear", "fashion"),
        ("Damenbekleidung & Unterwäsche", "fashion"),
        ("Fashion Accessories", "fashion"),
        ("Mode-Accessoires", "fashion"),
        ("Health", "health"),
        ("Gesundheit", "health"),
        ("Food & Beverages", "food"),
        ("Lebensmittel & Getränke", "food"),
        ("Home Supplies", "home"),
        ("Haushaltsbedarf", "home"),
        ("Sports & Outdoor", "sports"),
        ("Phones & Electronics", "tech"),
        ("Handys & Elektronik", "tech"),
        ("Pet Supplies", "pets"),
        ("Haustierbedarf", "pets"),
        ("Baby & Maternity", "baby"),
        ("Kitchenware", "kitchen"),
        ("Kids' Fashion", "fashion"),
        ("  SKINCARE ", "skincare"),
        ("Hautpflege", "skincare"),
    ],
)
def test_an_export_label_maps_to_its_creatordesk_key(label: str, key: str) -> None:
    assert category_key(label) == key
    assert canonical_category(label) == key


def test_the_most_specific_known_level_of_a_category_path_wins() -> None:
    assert canonical_category("Beauty & Personal Care > Skincare") == "skincare"
    assert canonical_category("Beauty & Personal Care/Unknown Sub") == "beauty"


def test_an_unknown_label_is_compared_as_itself_and_reported_unknown() -> None:
    assert category_key("Clean Beauty") is None
    assert canonical_category("Clean  Beauty") == canonical_category("clean beauty") == "clean beauty"


def test_every_synonym_is_written_as_the_normaliser_leaves_a_label_and_points_at_a_known_key() -> None:
    assert [label for label in SYNONYMS if normalise_label(label) != label] == []
    assert set(SYNONYMS.values()) == set(CATEGORY_KEYS)
    # Every key names itself, so a category typed as a key is never renamed to another one.
    assert all(SYNONYMS[key] == key for key in CATEGORY_KEYS)


def test_the_creator_list_filter_finds_a_category_named_as_the_marketplace_names_it(side_a, login_as) -> None:
    from creatordesk.creators.services import creator_create

    creator_create(workspace=side_a.workspace, display_name="Glow Gina", categories="beauty")
    creator_create(workspace=side_a.workspace, display_name="Tech Tim", categories="tech")
    page = login_as(side_a.manager).get("/creators/", {"category": "Beauty & Personal Care"}).content.decode()
    assert "Glow Gina" in page and "Tech Tim" not in page
