"""Signed calls to the `affiliate_seller` operations of the TikTok Shop Partner API.

Each method names the reference page it follows (`partner.tiktokshop.com/docv2/page/<slug>`). Requests
are signed and sent like the other TikTok Shop calls of `creatordesk.performance.connectors`: through
the guarded outbound client, with 429 and 5xx retried (Retry-After honoured) by the caller's
RetryPolicy. A search reads every page before it returns; a failure on any page raises and returns
nothing, so a caller never stores half a result.
"""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from creatordesk.lib.outbound import AllowList
from creatordesk.performance.connectors import ConnectorError, RetryPolicy, request_json, tiktok_shop_sign
from creatordesk.shop.affiliate_api import parsing
from creatordesk.shop.affiliate_api.types import (
    AffiliateOrderLine,
    ContentFormat,
    CreatedTargetCollaboration,
    CreatorContent,
    CreatorPerformance,
    DraftInvalid,
    FreeSampleRule,
    FulfillmentContent,
    OpenCollaboration,
    RejectReason,
    ReviewDecision,
    SampleApplication,
    SampleStatus,
    TargetCollaboration,
    TargetCollaborationChange,
    TargetCollaborationDetail,
    TargetCollaborationDraft,
    TargetCollaborationUpdate,
)

PREFIX = "/affiliate_seller"
DEFAULT_MAX_PAGES = 50


class AffiliateApiError(ConnectorError):
    """The Partner API answered with a non-zero `code` in its envelope."""

    def __init__(self, code: object, message: str, request_id: str = "") -> None:
        super().__init__(f"TikTok Shop affiliate API: {code} {message}".strip())
        self.code = code
        self.message = message
        self.request_id = request_id


class TooManyPages(ConnectorError):
    """A search still had pages after the page cap; narrow the search instead of storing a part."""


@dataclass(frozen=True)
class AffiliateClient:
    """The seller side of TikTok Shop affiliate collaborations, for one authorised shop."""

    app_key: str
    app_secret: str
    access_token: str
    shop_cipher: str
    base_url: str = "https://open-api.tiktokglobalshop.com"
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    # Internal hosts the base URL may point at; by default only public addresses are reached.
    allow: AllowList = field(default_factory=AllowList)
    max_pages: int = DEFAULT_MAX_PAGES
    clock: Callable[[], float] = time.time

    def configured(self) -> bool:
        return bool(self.app_key and self.app_secret and self.access_token and self.shop_cipher)

    # Target collaborations: private invitations to chosen creators.

    def create_target_collaboration(self, draft: TargetCollaborationDraft) -> CreatedTargetCollaboration:
        """create-target-collaboration-202508; a draft with problems raises DraftInvalid unsent."""
        problems = draft.problems()
        if problems:
            raise DraftInvalid(problems)
        body = {
            "name": draft.name,
            "products": _products(
                draft.product_ids,
                draft.commission_rate,
                draft.shop_ads_commission_rate,
                ("target_commission_rate", "shop_ads_commission_rate"),
            ),
            "creator_user_open_ids": list(draft.creator_open_ids),
            "free_sample_rule": _free_sample_body(draft.free_sample),
            "message": draft.message,
            "end_time": _epoch(draft.end_time),
            "seller_contact_info": {"email": draft.seller_email},
        }
        data = self._call("POST", "/202508/target_collaborations", body=body)
        return parsing.created_target_collaboration(data)

    def search_target_collaborations(
        self,
        *,
        status: str | None = None,
        creator_open_id: str | None = None,
        keyword: str | None = None,
        keyword_type: str = "TARGET_COLLABORATION_NAME",
    ) -> list[TargetCollaboration]:
        """search-target-collaborations-202508; status ONGOING, EXPIRING, VALID, CANCELING or COMPLETED."""
        body: dict[str, Any] = _present(collaboration_status=status, creator_user_open_id=creator_open_id)
        if keyword:
            body["search_param"] = {"keyword": keyword, "keyword_type": keyword_type}
        items = self._pages(
            "POST", "/202508/target_collaborations/search", "target_collaborations", 100, body=body
        )
        return [parsing.target_collaboration(item) for item in items]

    def get_target_collaboration(self, collaboration_id: str) -> TargetCollaborationDetail:
        """query-target-collaboration-detail-202508."""
        data = self._call("GET", f"/202508/target_collaborations/{_segment(collaboration_id)}")
        return parsing.target_collaboration_detail(data)

    def update_target_collaboration(
        self, collaboration_id: str, change: TargetCollaborationChange
    ) -> TargetCollaborationUpdate:
        """update-target-collaboration-202508; a rate rise applies at once, a cut at 00:00 the next day."""
        problems = change.problems()
        if problems:
            raise DraftInvalid(problems)
        body = _change_body(change)
        if not body:
            raise DraftInvalid(["nothing to change"])
        data = self._call("PUT", f"/202508/target_collaborations/{_segment(collaboration_id)}", body=body)
        return parsing.target_collaboration_update(data)

    def remove_target_collaboration(self, collaboration_id: str) -> None:
        """remove-target-collaboration-202409 (the latest version of this operation)."""
        self._call("DELETE", f"/202409/target_collaborations/{_segment(collaboration_id)}")

    def target_collaboration_link(self, collaboration_id: str) -> str:
        """generate-target-collaboration-link-202509: a link that walks the creator through accepting."""
        data = self._call("POST", f"/202509/target_collaboration/{_segment(collaboration_id)}/link", body={})
        link = parsing.text(data.get("link"))
        if not link:
            raise ConnectorError("TikTok Shop affiliate API: the answer has no link")
        return link

    # Open collaborations: products any creator may promote.

    def search_open_collaborations(
        self, *, keyword: str | None = None, keyword_type: str = "PRODUCT_NAME"
    ) -> list[OpenCollaboration]:
        """search-open-collaboration-202412; keyword_type PRODUCT_NAME or PRODUCT_ID."""
        body = _present(keyword=keyword, keyword_type=keyword_type if keyword else None)
        items = self._pages(
            "POST", "/202412/open_collaborations/search", "open_collaborations", 100, body=body
        )
        return [parsing.open_collaboration(item) for item in items]

    def open_collaboration_creator_content(self, product_id: str) -> list[CreatorContent]:
        """get-open-collaboration-creator-content-detail-202508: videos and LIVEs per creator."""
        items = self._pages(
            "GET",
            "/202508/open_collaborations/creator_content_details",
            "creator_content_details",
            100,
            query={"product_id": _required(product_id, "product id")},
        )
        return [parsing.creator_content(item) for item in items]

    def remove_creator_from_open_collaboration(
        self, open_collaboration_id: str, *, creator_open_id: str, product_id: str
    ) -> None:
        """remove-creator-from-open-collaboration-202508; the platform lets the creator join again."""
        body = {
            "creator_user_open_id": _required(creator_open_id, "creator Open ID"),
            "product_id": _required(product_id, "product id"),
        }
        self._call(
            "POST", f"/202508/open_collaborations/{_segment(open_collaboration_id)}/remove_creator", body=body
        )

    # Free samples.

    def search_sample_applications(
        self,
        *,
        status: SampleStatus | str | None = None,
        product_id: str | None = None,
        creator_open_id: str | None = None,
    ) -> list[SampleApplication]:
        """seller-search-sample-applications-202508."""
        if status is not None and status not in SampleStatus.__members__:
            raise ValueError(f"unknown sample application status {status!r}")
        # `creator_user_oepn_id` is how the 202508 reference spells this filter.
        body = _present(status=status, product_id=product_id, creator_user_oepn_id=creator_open_id)
        items = self._pages(
            "POST", "/202508/sample_applications/search", "sample_applications", 50, body=body
        )
        return [parsing.sample_application(item) for item in items]

    def review_sample_application(
        self, application_id: str, decision: ReviewDecision, reason: RejectReason | None = None
    ) -> None:
        """seller-review-sample-applications-202507; a rejection needs its reason, an approval has none."""
        if decision not in ReviewDecision.__members__:
            raise ValueError(f"unknown review decision {decision!r}")
        if (decision == ReviewDecision.REJECT) != (reason is not None):
            raise ValueError("a rejection needs a reason and an approval takes none")
        if reason is not None and reason not in RejectReason.__members__:
            raise ValueError(f"unknown reject reason {reason!r}")
        body = _present(review_result=str(decision), reject_reason=str(reason) if reason else None)
        self._call("POST", f"/202507/sample_applications/{_segment(application_id)}/review", body=body)

    def sample_fulfillments(
        self, application_id: str, content_format: ContentFormat | None = None
    ) -> list[FulfillmentContent]:
        """seller-search-sample-applications-fulfillments-202409: what the creator made from a sample."""
        body = _present(content_format=str(content_format) if content_format else None)
        data = self._call(
            "POST", f"/202409/sample_applications/{_segment(application_id)}/fulfillments/search", body=body
        )
        return [parsing.fulfillment_content(item) for item in parsing.objects(data.get("fulfillments"))]

    # Affiliate orders and creator figures.

    def search_affiliate_orders(
        self,
        *,
        created_from: datetime | None = None,
        created_before: datetime | None = None,
        program_id: str | None = None,
    ) -> list[AffiliateOrderLine]:
        """search-seller-affiliate-orders-202410, one line per SKU; program_id is a collaboration or campaign."""
        body = _present(
            create_time_ge=_epoch_int(created_from),
            create_time_lt=_epoch_int(created_before),
            program_id=program_id,
        )
        orders = self._pages("POST", "/202410/orders/search", "orders", 100, body=body)
        return [line for order in orders for line in parsing.order_lines(order)]

    def creator_performance(self, creator_open_id: str) -> CreatorPerformance:
        """get-marketplace-creator-performance-202508: the last 30 days, ranged where the creator says so."""
        data = self._call("GET", f"/202508/marketplace_creators/{_segment(creator_open_id)}")
        return parsing.creator_performance(creator_open_id, data)

    # Transport.

    def signed_request(
        self, method: str, path: str, query: Mapping[str, str] | None = None, body: object | None = None
    ) -> urllib.request.Request:
        """The request for `path` (below the API root), with the shop's parameters and its signature."""
        params = {
            "app_key": self.app_key,
            "timestamp": str(int(self.clock())),
            "shop_cipher": self.shop_cipher,
        }
        params.update(query or {})
        text = "" if body is None else json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        params["sign"] = tiktok_shop_sign(self.app_secret, path, params, text)
        return urllib.request.Request(
            f"{self.base_url.rstrip('/')}{path}?{urllib.parse.urlencode(params)}",
            data=text.encode() if body is not None else None,
            method=method,
            headers={"x-tts-access-token": self.access_token, "Content-Type": "application/json"},
        )

    def _call(
        self, method: str, path: str, *, query: Mapping[str, str] | None = None, body: object | None = None
    ) -> Mapping[str, Any]:
        request = self.signed_request(method, PREFIX + path, query, body)
        return _data(request_json(request, self.retry, self.allow))

    def _pages(
        self,
        method: str,
        path: str,
        key: str,
        page_size: int,
        *,
        query: Mapping[str, str] | None = None,
        body: object | None = None,
    ) -> list[Mapping[str, Any]]:
        items: list[Mapping[str, Any]] = []
        token, seen = "", set()
        for _page in range(self.max_pages):
            page_query = {**(query or {}), "page_size": str(page_size)}
            if token:
                page_query["page_token"] = token
            data = self._call(method, path, query=page_query, body=body)
            items.extend(parsing.objects(data.get(key)))
            token = parsing.text(data.get("next_page_token"))
            if not token:
                return items
            if token in seen:
                raise ConnectorError(f"TikTok Shop affiliate API: page token {token!r} came back twice")
            seen.add(token)
        raise TooManyPages(f"{path}: more than {self.max_pages} pages; narrow the search")


def _data(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    code = payload.get("code")
    if code != 0 or isinstance(code, bool):
        raise AffiliateApiError(
            code if code is not None else "no code",
            parsing.text(payload.get("message")),
            parsing.text(payload.get("request_id")),
        )
    data = payload.get("data")
    return data if isinstance(data, Mapping) else {}


def _products(
    product_ids: Any, rate: int, shop_ads_rate: int | None, keys: tuple[str, str]
) -> list[dict[str, Any]]:
    rate_key, ads_key = keys
    extra = {ads_key: shop_ads_rate} if shop_ads_rate is not None else {}
    return [{"id": product_id, rate_key: rate, **extra} for product_id in product_ids]


def _change_body(change: TargetCollaborationChange) -> dict[str, Any]:
    # The update reference names the rates differently from the create reference.
    products = None
    if change.product_ids is not None and change.commission_rate is not None:
        products = _products(
            change.product_ids,
            change.commission_rate,
            change.shop_ads_commission_rate,
            ("commission_rate", "target_ad_commission_rate"),
        )
    return _present(
        name=change.name,
        products=products,
        creator_user_open_ids=list(change.creator_open_ids) if change.creator_open_ids is not None else None,
        end_time=_epoch(change.end_time) if change.end_time else None,
        free_sample_rule=_free_sample_body(change.free_sample) if change.free_sample else None,
        seller_contact_info={"email": change.seller_email} if change.seller_email else None,
    )


def _free_sample_body(rule: FreeSampleRule) -> dict[str, bool]:
    return {
        "has_free_sample": rule.has_free_sample,
        "is_sample_approval_exempt": rule.is_sample_approval_exempt,
    }


def _present(**values: Any) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None and value != ""}


def _epoch(moment: datetime) -> str:
    # Target collaboration end times travel as a string of Unix seconds.
    return str(int(moment.timestamp()))


def _epoch_int(moment: datetime | None) -> int | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("a time filter needs a time zone")
    return int(moment.timestamp())


def _required(value: str, what: str) -> str:
    if not value or not value.strip():
        raise ValueError(f"the {what} is missing")
    return value


def _segment(value: str) -> str:
    return urllib.parse.quote(_required(value, "id"), safe="")
