"""Category synonyms: the labels marketplaces export, mapped to the category keys CreatorDesk compares.

CreatorDesk keeps categories as short lower-case keys ("beauty", "skincare", "tech") on creators and
campaign targets. TikTok Shop's Affiliate Center, the Creator Marketplace and the German seller centre
export their own labels ("Beauty & Personal Care", "Beauty & Körperpflege"), which never equal a key,
so a creator imported from them would never match a campaign. The table below is data: add a row when
a platform names a category differently. Framework-free, so it can be tested on strings.
"""

from __future__ import annotations

import re
from functools import lru_cache

# The keys the fit score and the creator list compare. A label the table does not know is kept as its
# own key, so free-text categories such as "clean beauty" keep working.
CATEGORY_KEYS = (
    "beauty", "skincare", "haircare", "makeup", "fragrance", "fashion", "jewellery", "health",
    "fitness", "food", "home", "kitchen", "sports", "tech", "gaming", "pets", "baby", "toys",
    "automotive", "books", "travel", "lifestyle", "men",
)  # fmt: skip

# Normalised label (see normalise_label) -> key. Sources: TikTok Shop Seller Center category tree
# (EU/UK, English and German), Affiliate Center and Creator Marketplace creator categories.
SYNONYMS: dict[str, str] = {
    # Beauty and personal care
    "beauty & personal care": "beauty", "beauty & care": "beauty", "beauty": "beauty",
    "beauty & körperpflege": "beauty", "schönheit & körperpflege": "beauty", "körperpflege": "beauty",
    "personal care": "beauty", "beauty & style": "beauty", "kosmetik": "beauty",
    "skincare": "skincare", "skin care": "skincare", "hautpflege": "skincare",
    "haircare": "haircare", "hair care": "haircare", "haarpflege": "haircare",
    "makeup": "makeup", "make up": "makeup", "cosmetics": "makeup",
    "fragrance": "fragrance", "fragrances": "fragrance", "perfume": "fragrance", "parfum": "fragrance",
    "düfte": "fragrance",
    # Fashion
    "womenswear & underwear": "fashion", "menswear & underwear": "fashion",
    "damenbekleidung & unterwäsche": "fashion", "herrenbekleidung & unterwäsche": "fashion",
    "damenmode & unterwäsche": "fashion", "herrenmode & unterwäsche": "fashion",
    "fashion accessories": "fashion", "mode accessoires": "fashion", "modeaccessoires": "fashion",
    "kids fashion": "fashion", "kindermode": "fashion", "shoes": "fashion", "schuhe": "fashion",
    "luggage & bags": "fashion", "koffer & taschen": "fashion", "gepäck & taschen": "fashion",
    "muslim fashion": "fashion", "fashion": "fashion", "mode": "fashion", "clothing": "fashion",
    "fashion & style": "fashion", "style": "fashion",
    "jewellery accessories & derivatives": "jewellery", "jewelry accessories & derivatives": "jewellery",
    "schmuck & zubehör": "jewellery", "schmuck & derivate": "jewellery", "jewellery": "jewellery",
    "jewelry": "jewellery", "schmuck": "jewellery",
    # Health and fitness
    "health": "health", "gesundheit": "health", "health & wellness": "health",
    "gesundheit & wellness": "health", "wellness": "health",
    "fitness": "fitness", "sports & fitness": "fitness", "fitness & health": "fitness",
    # Food
    "food & beverages": "food", "food & beverage": "food", "food & drink": "food", "food": "food",
    "lebensmittel & getränke": "food", "essen & trinken": "food", "lebensmittel": "food",
    # Home and kitchen
    "home supplies": "home", "haushaltsbedarf": "home", "haushaltswaren": "home",
    "household appliances": "home", "haushaltsgeräte": "home", "home improvement": "home",
    "heimwerken": "home", "heimwerkerbedarf": "home", "furniture": "home", "möbel": "home",
    "textiles & soft furnishings": "home", "textilien & heimtextilien": "home",
    "tools & hardware": "home", "werkzeuge & eisenwaren": "home", "home & garden": "home",
    "haus & garten": "home", "home": "home", "garden": "home", "garten": "home",
    "kitchenware": "kitchen", "küchenartikel": "kitchen", "küchenutensilien": "kitchen",
    "küchenbedarf": "kitchen", "kitchen": "kitchen", "küche": "kitchen",
    # Sports
    "sports & outdoor": "sports", "sport & outdoor": "sports", "sports & outdoors": "sports",
    "sports": "sports", "sport": "sports", "outdoor": "sports",
    # Electronics
    "phones & electronics": "tech", "handys & elektronik": "tech", "telefone & elektronik": "tech",
    "computers & office equipment": "tech", "computer & büroausstattung": "tech",
    "computer & bürobedarf": "tech", "electronics": "tech", "elektronik": "tech", "tech": "tech",
    "technology": "tech", "technik": "tech", "science & technology": "tech",
    "gaming": "gaming", "games": "gaming", "spiele": "gaming",
    # Pets
    "pet supplies": "pets", "haustierbedarf": "pets", "tierbedarf": "pets", "pets": "pets",
    "pet": "pets", "haustiere": "pets", "animals": "pets", "tiere": "pets",
    # Baby and toys
    "baby & maternity": "baby", "baby & mutterschaft": "baby", "baby & schwangerschaft": "baby",
    "baby": "baby", "family & parenting": "baby", "familie & erziehung": "baby", "parenting": "baby",
    "toys & hobbies": "toys", "spielzeug & hobbys": "toys", "spielzeug & hobby": "toys",
    "toys": "toys", "spielzeug": "toys", "collectibles": "toys", "sammlerstücke": "toys",
    # Other
    "automotive & motorcycle": "automotive", "auto & motorrad": "automotive",
    "automotive": "automotive", "auto": "automotive", "autos & vehicles": "automotive",
    # The export writes "Books, Magazines & Audio"; a list cell splits it at the comma.
    "books": "books", "magazines & audio": "books", "bücher": "books", "zeitschriften & audio": "books",
    "books magazines & audio": "books", "bücher zeitschriften & audio": "books",
    "travel": "travel", "reisen": "travel", "lifestyle": "lifestyle", "men": "men",
    "mens grooming": "men", "herrenpflege": "men",
}  # fmt: skip

# Sub-categories come as "Beauty & Personal Care > Skincare" or ".../Skincare".
_LEVELS = re.compile(r"\s*(?:>|/|›|»)\s*")
_AND = re.compile(r"\s*(?:&|＆|\+|\band\b|\bund\b)\s*")
_NOT_WORD = re.compile(r"[^\w&' ]+")


def normalise_label(label: str) -> str:
    """Lower case, one space, "and"/"und"/"+" written as "&", hyphens and other punctuation gone."""
    text = _NOT_WORD.sub(" ", label.casefold().replace("’", "'"))
    text = _AND.sub(" & ", text)
    return " ".join(text.replace("'", "").split())


@lru_cache(maxsize=4096)
def category_key(label: str) -> str | None:
    """The CreatorDesk key of an external label, or None when the table does not know it.

    For a path of sub-categories the most specific level the table knows wins.
    """
    levels = [normalise_label(level) for level in _LEVELS.split(label) if level.strip()]
    for level in reversed(levels):
        if level in SYNONYMS:
            return SYNONYMS[level]
    whole = normalise_label(label)
    return SYNONYMS.get(whole)


def canonical_category(label: str) -> str:
    """The key two categories are compared by: the table's key, else the label itself normalised."""
    return category_key(label) or normalise_label(label)
