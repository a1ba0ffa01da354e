"""Read the documented response shapes of the `affiliate_seller` operations into typed values.

The Partner API leaves out, empties or ranges what a creator does not share (an empty string where an
object or a number is documented, `gmv_range` instead of `gmv`); each reader here turns that into None
or a Range instead of zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from creatordesk.shop.affiliate_api.types import (
    AffiliateOrderLine,
    CollaborationProduct,
    Conflict,
    CreatedTargetCollaboration,
    CreatorContent,
    CreatorPerformance,
    CreatorRef,
    Figure,
    FreeSampleRule,
    FulfillmentContent,
    InvitedCreator,
    Money,
    OpenCollaboration,
    Range,
    SampleApplication,
    TargetCollaboration,
    TargetCollaborationDetail,
    TargetCollaborationUpdate,
)

type JSON = Mapping[str, Any]


def _obj(value: Any) -> JSON:
    return value if isinstance(value, Mapping) else {}


def objects(value: Any) -> list[JSON]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def text(value: Any) -> str:
    return "" if value is None else str(value)


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        number = Decimal(str(value).strip().removesuffix("%"))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _int(value: Any) -> int | None:
    number = _decimal(value)
    return int(number) if number is not None and number == number.to_integral_value() else None


def _time(value: Any) -> datetime | None:
    seconds = _int(value)
    return datetime.fromtimestamp(seconds, UTC) if seconds else None


def _money(value: Any, key: str = "amount") -> Money | None:
    data = _obj(value)
    amount = _decimal(data.get(key))
    return Money(amount, text(data.get("currency"))) if amount is not None else None


def _money_range(value: Any) -> Range[Money] | None:
    low, high = _money(value, "minimum_amount"), _money(value, "maximum_amount")
    return Range(low, high) if low is not None and high is not None else None


def _int_range(value: Any) -> Range[int] | None:
    data = _obj(value)
    low, high = _int(data.get("minimum_amount")), _int(data.get("maximum_amount"))
    return Range(low, high) if low is not None and high is not None else None


def _rate_from_fraction(value: Any) -> int | None:
    # Sample applications write the rate as a fraction ("0.15"), everything else in 0.01 % (1500).
    fraction = _decimal(value)
    return int(fraction * 10000) if fraction is not None else None


def _free_sample(value: Any) -> FreeSampleRule:
    data = _obj(value)
    return FreeSampleRule(bool(data.get("has_free_sample")), bool(data.get("is_sample_approval_exempt")))


def _conflicts(value: Any) -> tuple[Conflict, ...]:
    return tuple(
        Conflict(text(item.get("creator_user_open_id")), text(item.get("product_id")))
        for item in objects(value)
    )


def created_target_collaboration(data: JSON) -> CreatedTargetCollaboration:
    return CreatedTargetCollaboration(
        id=text(_obj(data.get("target_collaboration")).get("id")),
        conflicts=_conflicts(data.get("target_collaboration_conflicts")),
    )


def target_collaboration(item: JSON) -> TargetCollaboration:
    # The search writes `creator_inivited_count`, the detail `creator_invited_count`.
    invited = item.get("creator_invited_count", item.get("creator_inivited_count"))
    return TargetCollaboration(
        id=text(item.get("id")),
        name=text(item.get("name")),
        type=text(item.get("type")),
        message=text(item.get("message")),
        start_time=_time(item.get("start_time")),
        end_time=_time(item.get("end_time")),
        free_sample=_free_sample(item.get("free_sample_rule")),
        product_count=_int(item.get("product_count")),
        creator_invited_count=_int(invited),
        showcase_creator_count=_int(item.get("showcase_creator_count")),
        content_creator_count=_int(item.get("content_creator_count")),
    )


def _creator_ref(item: JSON) -> CreatorRef:
    """A creator as every answer names them: Open ID (from version 202508), handle and display name."""
    return CreatorRef(
        open_id=text(item.get("creator_open_id")) or None,
        username=text(item.get("username")),
        nickname=text(item.get("nickname")),
    )


def _invited_creator(item: JSON) -> InvitedCreator:
    return InvitedCreator(
        creator=_creator_ref(item),
        status=text(item.get("collaboration_status")),
        showcase_product_count=_int(item.get("showcase_product_count")),
        content_product_count=_int(item.get("content_product_count")),
    )


def _collaboration_product(item: JSON) -> CollaborationProduct:
    commission = _obj(item.get("commission"))
    return CollaborationProduct(
        product_id=text(item.get("id")),
        title=text(item.get("title")),
        status=text(item.get("status")),
        collaboration_status=text(item.get("collaboration_status")),
        commission_rate=_int(commission.get("rate")),
        shop_ads_commission_rate=_int(commission.get("shop_ads_commission_rate")),
        commission=_money_range(commission),
    )


def target_collaboration_detail(data: JSON) -> TargetCollaborationDetail:
    item = _obj(data.get("target_collaboration"))
    return TargetCollaborationDetail(
        summary=target_collaboration(item),
        seller_email=text(_obj(item.get("seller_contact_info")).get("email")),
        creators=tuple(_invited_creator(creator) for creator in objects(item.get("creators"))),
        products=tuple(_collaboration_product(product) for product in objects(item.get("products"))),
    )


def target_collaboration_update(data: JSON) -> TargetCollaborationUpdate:
    failed = _obj(data.get("update_failed"))
    return TargetCollaborationUpdate(
        conflicts=_conflicts(data.get("target_collaboration_conflicts")),
        creators_not_added=_strs(failed.get("add_creator_open_ids")),
        creators_not_removed=_strs(failed.get("remove_creator_open_ids")),
        products_not_removed=_strs(failed.get("remove_product_ids")),
    )


def open_collaboration(item: JSON) -> OpenCollaboration:
    product = _obj(item.get("product"))
    return OpenCollaboration(
        id=text(item.get("id")),
        product_id=text(product.get("id")),
        product_title=text(product.get("title")),
        product_status=text(product.get("status")),
        status=text(item.get("status")),
        commission_rate=_int(_obj(item.get("current_commission")).get("rate")),
        require_seller_approve_creator=bool(item.get("require_seller_approve_creator")),
        showcase_creator_count=_int(item.get("showcase_creator_count")),
        content_creator_count=_int(item.get("content_creator_count")),
    )


def creator_content(item: JSON) -> CreatorContent:
    profile = _obj(item.get("creator_profile"))
    return CreatorContent(
        creator=_creator_ref(profile),
        follower_count=_int(profile.get("follower_count")),
        video_count=_int(item.get("video_count")),
        live_count=_int(item.get("live_count")),
        promotion_status=text(item.get("promotion_status")),
        promotion_end_time=_time(item.get("promotion_end_time")),
    )


def sample_application(item: JSON) -> SampleApplication:
    creator = _obj(item.get("creator"))
    product = _obj(item.get("product"))
    return SampleApplication(
        id=text(item.get("id")),
        status=text(item.get("status")),
        fulfillment_status=text(item.get("fulfillment_status")),
        product_id=text(product.get("id")),
        sku_id=text(product.get("sku_id")),
        product_title=text(product.get("title")),
        creator=_creator_ref(creator),
        creator_follower_count=_int(creator.get("follower_count")),
        creator_gmv=_money(creator.get("gmv")),
        creator_fulfillment_percent=_decimal(creator.get("fulfillment_percentage")),
        commission_rate=_rate_from_fraction(item.get("commission_rate")),
        approvable=bool(item.get("is_approvable")),
        approve_deadline=_time(item.get("approve_expiration_time")),
        shipment_deadline=_time(item.get("shipment_expiration_time")),
        tracking_number=text(item.get("tracking_number")),
        order_id=text(item.get("order_id")),
        agency_name=text(item.get("partner_name")),
    )


def fulfillment_content(item: JSON) -> FulfillmentContent:
    content = _obj(item.get("content"))
    return FulfillmentContent(
        content_id=text(content.get("id")),
        format=text(content.get("format")),
        page_link=text(content.get("page_link")),
        url=text(content.get("url")),
        description=text(content.get("description")),
        posted_at=_time(content.get("create_time")),
        views=_int(content.get("view_count")),
        likes=_int(content.get("like_count")),
        comments=_int(content.get("comment_count")),
        paid_orders=_int(content.get("paid_order_count")),
        product_id=text(_obj(item.get("product")).get("id")),
    )


def order_lines(order: JSON) -> list[AffiliateOrderLine]:
    """One line per SKU: commission, content and creator differ from SKU to SKU within an order."""
    return [_order_line(order, sku) for sku in objects(order.get("skus"))]


def _order_line(order: JSON, sku: JSON) -> AffiliateOrderLine:
    return AffiliateOrderLine(
        order_id=text(order.get("id")),
        order_status=text(order.get("status")),
        created_at=_time(order.get("create_time")),
        delivered_at=_time(order.get("delivery_time")),
        product_id=text(sku.get("product_id")),
        quantity=_int(sku.get("quantity")),
        refunded_quantity=_int(sku.get("refunded_quantity")),
        returned_quantity=_int(sku.get("returned_quantity")),
        price=_money(sku.get("price")),
        content_id=text(sku.get("content_id")),
        content_type=text(sku.get("content_type")),
        creator_username=text(sku.get("creator_username")),
        creator_open_id=text(sku.get("creator_open_id")) or None,
        commission_rate=_int(sku.get("commission_rate")),
        shop_ads_commission_rate=_int(sku.get("shop_ads_commission_rate")),
        estimated_commission_base=_money(sku.get("estimated_commission_base")),
        actual_commission_base=_money(sku.get("actual_commission_base")),
        estimated_paid_commission=_money(sku.get("estimated_paid_commission")),
        actual_paid_commission=_money(sku.get("actual_paid_commission")),
        estimated_shop_ads_commission=_money(sku.get("estimated_paid_shop_ads_commission")),
        actual_shop_ads_commission=_money(sku.get("actual_paid_shop_ads_commission")),
        open_collaboration_id=text(sku.get("open_collaboration_id")),
        target_collaboration_id=text(sku.get("target_collaboration_id")),
        campaign_id=text(sku.get("campaign_id")),
        sku_id=text(sku.get("id")),
    )


def _money_figure(creator: JSON, key: str) -> Figure[Money]:
    exact = _money(creator.get(key))
    return exact if exact is not None else _money_range(creator.get(f"{key}_range"))


def _int_figure(creator: JSON, key: str) -> Figure[int]:
    exact = _int(creator.get(key))
    return exact if exact is not None else _int_range(creator.get(f"{key}_range"))


def creator_performance(open_id: str, data: JSON) -> CreatorPerformance:
    creator = _obj(data.get("creator"))
    return CreatorPerformance(
        open_id=open_id,
        username=text(creator.get("username")),
        nickname=text(creator.get("nickname")),
        follower_count=_int(creator.get("follower_count")),
        gmv=_money_figure(creator, "gmv"),
        units_sold=_int_figure(creator, "units_sold"),
        avg_commission_rate=_int_figure(creator, "avg_commission_rate"),
        post_rate=_int(creator.get("post_rate")),
        pps=_decimal(creator.get("pps")),
        rating=_decimal(creator.get("rating")),
    )
