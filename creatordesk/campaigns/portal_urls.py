"""Campaign material a creator opens through their signed portal link (mounted under the link's token)."""

from django.urls import path

from creatordesk.campaigns import views

urlpatterns = [
    path("products/images/<int:image_pk>/", views.portal_product_image, name="portal_product_image"),
]
