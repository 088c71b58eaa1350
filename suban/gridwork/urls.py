"""Grid work inside the staff console (mounted at /console/): grid/ for grid workers, supervise/ for supervisors."""

from django.urls import URLPattern, URLResolver, path

from suban.gridwork.views import activity, board, escalations, my_grid, patrol, report, visits

app_name = "gridwork"
urlpatterns: list[URLPattern | URLResolver] = [
    path("grid/", my_grid.my_grid, name="my_grid"),
    path("grid/report/", report.report, name="report"),
    path("grid/cases/<str:number>/claim/", my_grid.claim, name="claim"),
    path("grid/cases/<str:number>/solve/", my_grid.solve, name="solve"),
    path("grid/patrol/", patrol.patrol, name="patrol"),
    path("grid/patrol/start/", patrol.start, name="patrol_start"),
    path("grid/patrol/<int:pk>/stop/", patrol.stop, name="patrol_stop"),
    path("grid/patrol/log/", patrol.log_add, name="log_add"),
    path("supervise/visits/", visits.visits, name="visits"),
    path("supervise/visits/<str:number>/call/", visits.call, name="visit_call"),
    path("supervise/visits/<str:number>/rate/", visits.rate, name="visit_rate"),
    path("supervise/visits/<str:number>/decide/", visits.decide, name="visit_decide"),
    path("supervise/board/", board.board, name="board"),
    path("supervise/board/<str:number>/supervise/", board.supervise, name="supervise"),
    path("supervise/escalations/", escalations.escalations, name="escalations"),
    path("supervise/activity/", activity.activity, name="activity"),
]
