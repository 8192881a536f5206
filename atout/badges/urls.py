from django.urls import path

from . import org_views, views

app_name = "badges"
ORG = "organisations/<slug:slug>/badges/"
urlpatterns = [
    path("badges/", views.mine, name="mine"),
    path("badges/obtenir/<int:assessment_pk>/", views.claim, name="claim"),
    path("badges/importer/", views.backpack_import, name="import"),
    path("badges/preuves/<uuid:uid>/", views.evidence, name="evidence"),
    path("badges/preuves/<uuid:uid>/supprimer/", views.evidence_delete, name="evidence_delete"),
    path("badges/preuves/ajouter/<int:assessment_pk>/", views.evidence_add, name="evidence_add"),
    path("badges/<uuid:uid>/preuves/", views.set_show_evidence, name="set_show_evidence"),
    path("badges/importes/<uuid:uid>/verifier/", views.backpack_recheck, name="recheck"),
    path("badges/importes/<uuid:uid>/supprimer/", views.backpack_delete, name="imported_delete"),
    path("badges/importes/<uuid:uid>/image", views.imported_image, name="imported_image"),
    path("badges/collections/", views.collection_save, name="collection_save"),
    path("badges/collections/<uuid:uid>/", views.collection, name="collection"),
    path("badges/<uuid:uid>/", views.award, name="award"),
    path("badges/<uuid:uid>/public/", views.set_public, name="set_public"),
    path("badges/<uuid:uid>/<str:form>", views.download_view, name="download"),
    path("badges/definitions/<uuid:uid>/", views.achievement, name="achievement"),
    path(
        "badges/definitions/<uuid:uid>/image.png", views.achievement_image, name="achievement_image"
    ),
    path(
        "badges/definitions/<uuid:uid>/ob2/<slug:organisation>.json",
        views.json_view,
        name="badge_class",
    ),
    path("badges/issuers/<slug:slug>/ob2.json", views.json_view, name="issuer_ob2"),
    path("badges/status/<slug:slug>/<int:number>/", views.json_view, name="status_list"),
    path("issuers/<slug:slug>/did.json", views.json_view, name="did"),
    path("verifier/", views.verifier, name="verifier"),
    path(ORG, org_views.badges, name="org_badges"),
    path(ORG + "<uuid:uid>/delivrer/", org_views.issue, name="org_issue"),
    path(ORG + "retirer/<uuid:uid>/", org_views.revoke, name="org_revoke"),
    path(ORG + "envois/<uuid:uid>/", org_views.progress, name="org_progress"),
]
