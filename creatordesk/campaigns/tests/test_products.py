"""Products and their reference images: who may change them, what an upload must be, who may see it."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path
from PIL import Image

from creatordesk.accounts.services import api_token_create
from creatordesk.campaigns.models import Product, ProductImage
from creatordesk.campaigns.products import campaign_update, product_create, product_image_add
from creatordesk.campaigns.services import campaign_create
from creatordesk.creators.portal import portal_token_for
from creatordesk.urls import urlpatterns as project_urlpatterns

pytestmark = pytest.mark.django_db

# The portal's image view, mounted where the project mounts it, for the tests that open it by link.
urlpatterns = [
    path("creators/portal/<str:token>/", include("creatordesk.campaigns.portal_urls")),
    *project_urlpatterns,
]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def picture(image_format: str = "PNG", size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(buffer, image_format)
    return buffer.getvalue()


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def serum(side_a) -> Product:
    return product_create(
        workspace=side_a.workspace, name="Hydra Serum", shop_url="https://shop.example/serum"
    )


@pytest.fixture
def serum_image(serum) -> ProductImage:
    return product_image_add(product=serum, upload=upload(picture()))


def test_manager_creates_a_product_and_uploads_a_reference_image(side_a, login_as, settings) -> None:
    client = login_as(side_a.manager)
    response = client.post(
        "/campaigns/products/new/",
        {"name": "Glow Cream", "sku": "GC-1", "shop_url": "https://shop.example/glow", "description": ""},
    )
    product = Product.objects.get(workspace=side_a.workspace, name="Glow Cream")
    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/products/{product.pk}/"

    # A PNG that claims to be a JPEG is stored under its true type, at an unguessable name.
    response = client.post(f"/campaigns/products/{product.pk}/images/", {"image": upload(picture("PNG"))})
    assert response.status_code == 302
    image = product.images.get()
    name = image.image.name or ""
    assert name.startswith(f"products/{side_a.workspace.pk}/")
    assert name.endswith(".png")
    assert len(Path(name).stem) == 32

    page = client.get(f"/campaigns/products/{product.pk}/")
    assert f"/campaigns/products/images/{image.pk}/".encode() in page.content
    assert b"Glow Cream" in client.get("/campaigns/products/").content
    assert b'value="GC-1"' in client.get(f"/campaigns/products/{product.pk}/edit/").content
    served = client.get(f"/campaigns/products/images/{image.pk}/")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == picture("PNG")


def test_webp_and_jpeg_images_are_accepted(serum) -> None:
    webp = product_image_add(product=serum, upload=upload(picture("WEBP"), "a.webp"))
    jpeg = product_image_add(product=serum, upload=upload(picture("JPEG"), "b.png"))
    assert Path(webp.image.path).suffix == ".webp"
    assert Path(jpeg.image.path).suffix == ".jpg"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"just some notes, not a picture\n" * 20, b"not a readable JPEG, PNG or WebP image"),
        (picture("PNG")[:-60], b"not a readable JPEG, PNG or WebP image"),  # cut off mid-way
        (picture("GIF"), b"not a readable JPEG, PNG or WebP image"),
        (picture("PNG", size=(8001, 4)), b"larger than 8000 pixels on a side"),
    ],
    ids=["text renamed .jpg", "truncated png", "gif", "too wide"],
)
def test_upload_that_is_not_an_acceptable_picture_is_refused(
    data: bytes, message: bytes, side_a, serum, login_as, settings
) -> None:
    response = login_as(side_a.manager).post(
        f"/campaigns/products/{serum.pk}/images/", {"image": upload(data)}
    )
    assert response.status_code == 400
    assert message in response.content
    assert not serum.images.exists()
    assert stored_files(settings) == []


def test_upload_over_ten_megabytes_is_refused(side_a, serum, login_as, settings) -> None:
    noise = Image.frombytes("RGB", (2000, 2000), os.urandom(2000 * 2000 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG", compress_level=0)
    assert buffer.tell() > 10 * 1024 * 1024
    response = login_as(side_a.manager).post(
        f"/campaigns/products/{serum.pk}/images/", {"image": upload(buffer.getvalue(), "big.png")}
    )
    assert response.status_code == 400
    assert b"larger than 10 MB" in response.content
    assert not serum.images.exists()


def test_manager_deletes_an_image_and_its_file(
    side_a, serum_image, login_as, settings, django_capture_on_commit_callbacks
) -> None:
    stored = Path(serum_image.image.path)
    assert stored.is_file()
    with django_capture_on_commit_callbacks(execute=True):
        response = login_as(side_a.manager).post(f"/campaigns/products/images/{serum_image.pk}/delete/")
    assert response.status_code == 302
    assert not ProductImage.objects.filter(pk=serum_image.pk).exists()
    assert not stored.exists()


def test_images_are_not_served_from_the_media_url(side_a, serum_image, login_as, settings) -> None:
    response = login_as(side_a.manager).get(settings.MEDIA_URL + serum_image.image.name)
    assert response.status_code == 404


def test_viewer_reads_products_but_cannot_change_them(side_a, serum, serum_image, login_as) -> None:
    client = login_as(side_a.viewer)
    assert client.get("/campaigns/products/").status_code == 200
    page = client.get(f"/campaigns/products/{serum.pk}/")
    assert page.status_code == 200
    assert b"Delete image" not in page.content
    assert client.get(f"/campaigns/products/images/{serum_image.pk}/").status_code == 200
    forbidden = [
        ("get", "/campaigns/products/new/"),
        ("post", "/campaigns/products/new/"),
        ("post", f"/campaigns/products/{serum.pk}/edit/"),
        ("post", f"/campaigns/products/{serum.pk}/images/"),
        ("post", f"/campaigns/products/images/{serum_image.pk}/delete/"),
    ]
    for method, url in forbidden:
        assert getattr(client, method)(url, {"name": "Renamed"}).status_code == 403, url
    serum.refresh_from_db()
    assert serum.name == "Hydra Serum"
    assert serum.images.count() == 1


def test_member_of_another_workspace_gets_404_for_products_and_images(
    side_b, serum, serum_image, login_as
) -> None:
    client = login_as(side_b.manager)
    for method, url in [
        ("get", f"/campaigns/products/{serum.pk}/"),
        ("get", f"/campaigns/products/{serum.pk}/edit/"),
        ("post", f"/campaigns/products/{serum.pk}/edit/"),
        ("post", f"/campaigns/products/{serum.pk}/images/"),
        ("get", f"/campaigns/products/images/{serum_image.pk}/"),
        ("post", f"/campaigns/products/images/{serum_image.pk}/delete/"),
    ]:
        response = getattr(client, method)(url, {"name": "Taken over"})
        assert response.status_code == 404, url
        assert b"Hydra Serum" not in response.content
    assert b"Hydra Serum" not in client.get("/campaigns/products/").content
    assert ProductImage.objects.filter(pk=serum_image.pk).exists()


@pytest.mark.urls(__name__)
def test_creator_link_opens_images_of_products_in_the_creators_campaigns(
    side_a, side_b, serum, serum_image, client
) -> None:
    campaign_update(campaign=side_a.campaign, name=side_a.campaign.name, products=[serum])
    other_campaign = campaign_create(workspace=side_a.workspace, name="Other")
    hidden = product_image_add(
        product=product_create(workspace=side_a.workspace, name="Unreleased"), upload=upload(picture())
    )
    campaign_update(campaign=other_campaign, name="Other", products=[hidden.product])

    def get(creator, image: ProductImage) -> int:
        return client.get(
            f"/creators/portal/{portal_token_for(creator)}/products/images/{image.pk}/"
        ).status_code

    assert get(side_a.creator, serum_image) == 200
    assert get(side_a.creator, hidden) == 404  # a product of a campaign the creator is not in
    assert get(side_a.other_creator, serum_image) == 404  # same workspace, no collaboration
    assert get(side_b.creator, serum_image) == 404
    assert client.get(f"/creators/portal/forged/products/images/{serum_image.pk}/").status_code == 404


def test_api_lists_gets_and_creates_products_of_the_tokens_workspace(
    side_a, side_b, serum_image, client
) -> None:
    product_create(workspace=side_b.workspace, name="B secret product")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {side_a.token}"}
    listed = client.get("/api/products", **auth).json()
    assert [(p["name"], p["image_ids"]) for p in listed["items"]] == [("Hydra Serum", [serum_image.pk])]
    assert client.get(f"/api/products/{serum_image.product_id}", **auth).json()["name"] == "Hydra Serum"

    created = client.post(
        "/api/products", {"name": " Night Oil ", "sku": "NO-2"}, content_type="application/json", **auth
    )
    assert created.status_code == 201
    assert created.json()["name"] == "Night Oil"
    other = Product.objects.get(workspace=side_b.workspace)
    assert client.get(f"/api/products/{other.pk}", **auth).status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "Serum", "shop_url": "javascript:alert(1)"}, "shop_url"),
        ({"name": "Ser\x00um"}, "name"),
        ({"name": "Serum", "description": "half an emoji \ud83d"}, "description"),
        ({"name": "x" * 161}, "name"),
    ],
)
def test_api_answers_bad_products_with_422(payload: dict, field: str, side_a, client) -> None:
    response = client.post(
        "/api/products", payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {side_a.token}"
    )
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["body", field]]
    assert not Product.objects.exists()


def test_api_refuses_product_creation_to_a_viewer(side_a, client) -> None:
    _token, raw = api_token_create(workspace=side_a.workspace, user=side_a.viewer, name="viewer")
    response = client.post(
        "/api/products",
        {"name": "Serum"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 403
    assert not Product.objects.exists()
