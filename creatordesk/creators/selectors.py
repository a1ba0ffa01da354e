"""Reads about creators."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Concat, Replace

from creatordesk.accounts.models import Workspace
from creatordesk.creators.categories import category_key
from creatordesk.creators.models import Creator, Platform, PlatformAccount

PAGE_SIZE = 50
# Each order ends on the primary key so pages never repeat or skip creators with equal values; the
# name and follower orders run along the (workspace, display_name) and (workspace, followers) indexes.
SORTS: dict[str, tuple[Any, ...]] = {
    "name": ("display_name", "id"),
    "followers": ("-followers", "-id"),
    "engagement": (F("engagement_rate").desc(nulls_last=True), "-followers", "-id"),
    "newest": ("-id",),
}
LIST_COLUMNS = (
    "id", "display_name", "email", "tiktok_handle", "country", "languages", "categories", "tags",
    "followers", "engagement_rate",
)  # fmt: skip


@dataclass(frozen=True)
class CreatorFilters:
    """What the creator list is narrowed to, as read from the query string."""

    query: str = ""
    country: str = ""
    language: str = ""
    category: str = ""
    tag: str = ""
    platform: str = ""
    min_followers: int | None = None
    sort: str = "name"

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> CreatorFilters:
        """Unknown or malformed values are ignored rather than answered with an error page."""
        text = {
            name: params.get(name, "").strip()[:100]
            for name in ("q", "country", "language", "category", "tag")
        }
        platform = params.get("platform", "")
        minimum = params.get("min_followers", "").strip().replace(".", "").replace(",", "")
        sort = params.get("sort", "")
        return cls(
            query=text["q"],
            country=text["country"].upper()[:2],
            language=text["language"],
            category=text["category"],
            tag=text["tag"],
            platform=platform if platform in Platform.values else "",
            min_followers=int(minimum) if minimum.isascii() and minimum.isdigit() else None,
            sort=sort if sort in SORTS else "name",
        )

    @property
    def narrowed(self) -> bool:
        return any((self.query, self.country, self.language, self.category, self.tag, self.platform)) or bool(
            self.min_followers
        )


def _with_item(creators: QuerySet[Creator], field: str, item: str) -> QuerySet[Creator]:
    """Creators whose comma-separated `field` holds `item` as a whole entry ("care" is not "skincare")."""
    needle = "".join(item.split())
    wrapped = Concat(Value(","), Replace(F(field), Value(" "), Value("")), Value(","))
    return creators.alias(**{f"{field}_wrapped": wrapped}).filter(
        **{f"{field}_wrapped__icontains": f",{needle},"}
    )


def creator_list(
    *,
    workspace: Workspace,
    query: str = "",
    country: str = "",
    language: str = "",
    category: str = "",
    tag: str = "",
    platform: str = "",
    min_followers: int | None = None,
    sort: str = "name",
) -> QuerySet[Creator]:
    creators: QuerySet[Creator] = Creator.objects.for_workspace(workspace)
    if query:
        handle = query.lstrip("@").lower()
        # A subquery rather than a join: one creator with several matching accounts stays one row.
        by_account = PlatformAccount.objects.for_workspace(workspace).filter(handle__contains=handle)
        creators = creators.filter(
            Q(display_name__icontains=query)
            | Q(email__icontains=query)
            | Q(tiktok_handle__icontains=handle)
            | Q(pk__in=by_account.values("creator_id"))
        )
    if country:
        creators = creators.filter(country=country)
    if platform:
        on_platform = PlatformAccount.objects.for_workspace(workspace).filter(platform=platform)
        creators = creators.filter(pk__in=on_platform.values("creator_id"))
    if min_followers:
        creators = creators.filter(followers__gte=min_followers)
    # A category typed as a marketplace names it ("Beauty & Personal Care") finds the stored key.
    category = category_key(category) or category if category else ""
    for field, item in (("languages", language), ("categories", category), ("tags", tag)):
        if item:
            creators = _with_item(creators, field, item)
    return creators.order_by(*SORTS.get(sort, SORTS["name"]))


@dataclass
class CreatorRow:
    creator: Creator
    primary: PlatformAccount | None  # the account with most followers

    @property
    def handle(self) -> str:
        return self.primary.handle if self.primary else self.creator.tiktok_handle


@dataclass
class CreatorListPage:
    page: Page
    rows: list[CreatorRow]
    filters: CreatorFilters


def creator_list_page(
    *, workspace: Workspace, filters: CreatorFilters, page: int | str = 1
) -> CreatorListPage:
    """One page of the creator list: a count, the page's creators and their accounts, in three queries."""
    accounts = PlatformAccount.objects.order_by(F("followers").desc(nulls_last=True), "id").only(
        "id", "creator_id", "platform", "handle", "followers"
    )
    creators = (
        creator_list(workspace=workspace, **asdict(filters))
        .only(*LIST_COLUMNS)
        .prefetch_related(Prefetch("accounts", queryset=accounts))
    )
    current = Paginator(creators, PAGE_SIZE).get_page(page)
    rows = [CreatorRow(creator, next(iter(creator.accounts.all()), None)) for creator in current.object_list]
    return CreatorListPage(page=current, rows=rows, filters=filters)


def creator_countries(*, workspace: Workspace) -> QuerySet[Creator, str]:
    """The countries the workspace's creators come from, for the list's country filter."""
    return (
        Creator.objects.for_workspace(workspace)
        .exclude(country="")
        .order_by("country")
        .values_list("country", flat=True)
        .distinct()
    )
