from django.contrib import admin

from .models import Behaviour, Family, Framework, Item, Level, Skill


class LevelInline(admin.TabularInline[Level, Framework]):
    model = Level
    extra = 0


class FamilyInline(admin.TabularInline[Family, Framework]):
    model = Family
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin[Framework]):
    list_display = ["code", "title_fr", "version", "organisation", "is_public"]
    inlines = [LevelInline, FamilyInline]


class BehaviourInline(admin.TabularInline[Behaviour, Skill]):
    model = Behaviour
    extra = 0


class ItemInline(admin.StackedInline[Item, Skill]):
    model = Item
    extra = 0


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin[Skill]):
    list_display = ["code", "label_fr", "family", "framework"]
    list_filter = ["framework", "family"]
    search_fields = ["code", "label_fr", "label_en"]
    inlines = [BehaviourInline, ItemInline]
