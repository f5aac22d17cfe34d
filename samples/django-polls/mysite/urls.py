from django.contrib import admin
from django.urls import path

from polls import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health", views.health),
    path("version", views.version),
    path("style", views.style),
    path("votes", views.votes),
    path("votes/<int:vote_id>", views.vote),
]
