from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Opportunity


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin[Opportunity]):
    """The catalogue, editable by hand. A row from an import is rewritten by the next
    import of the same source: change the source file rather than the row."""

    list_display = ("title", "kind", "departement", "remote", "source", "active")
    list_filter = ("kind", "source", "remote", "active", "language")
    search_fields = ("title", "organisation", "external_id", "place")
    filter_horizontal = ("skills",)
    readonly_fields = ("source", "external_id", "raw_skills", "created_at", "updated_at")
    actions = ["hide", "show"]
    formfield_overrides = {
        models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"}
    }
    fieldsets = (
        (None, {"fields": ("kind", "title", "description", "url", "language", "skills")}),
        (
            _("Où et quand"),
            {"fields": ("remote", "departement", "place", "duration", "starts_on", "ends_on")},
        ),
        (_("Pour une mission"), {"fields": ("organisation", "audience", "places")}),
        (
            _("Origine"),
            {
                "fields": (
                    "active",
                    "source",
                    "external_id",
                    "raw_skills",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )

    @admin.action(description=_("Cacher les lignes choisies"))
    def hide(self, request: HttpRequest, queryset: QuerySet[Opportunity]) -> None:
        queryset.update(active=False)

    @admin.action(description=_("Montrer les lignes choisies"))
    def show(self, request: HttpRequest, queryset: QuerySet[Opportunity]) -> None:
        queryset.update(active=True)
