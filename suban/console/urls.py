from django.urls import path

from suban.console.views import case, dispatch, home, inbox, intel, pickers

app_name = "console"
urlpatterns = [
    path("", home.home, name="home"),
    path("dispatch/", dispatch.dispatch_centre, name="dispatch"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/export.xlsx", inbox.inbox_export, name="inbox_export"),
    path("cases/<str:number>/", case.case_page, name="case"),
    path("cases/<str:number>/act/<str:action>/", case.act, name="act"),
    path("cases/<str:number>/map.json", case.case_map_data, name="case_map"),
    path("attachments/<int:pk>/", case.attachment, name="attachment"),
    path("hotspots/", intel.hotspots, name="hotspots"),
    path("seasonal/", intel.seasonal, name="seasonal"),
    path("pick/units/", pickers.pick_units, name="pick_units"),
    path("pick/matters/", pickers.pick_matters, name="pick_matters"),
]
