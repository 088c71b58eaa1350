"""A year of the demo district's past: a few thousand backdated cases, with every step of their timelines.

Made from 958 real, labelled citizen messages (suban/demo/data/history.csv, Teddy Cup 2020; see MESSAGES.md),
spread over the last HISTORY_DAYS days with the district's rhythm: fewer on weekends and in the Spring
Festival week, heating and flu in winter, noise and tourists in summer, school places in late summer, unpaid
wages before the New Year. Each case lives its life through the same steps the services take (accept,
dispatch by the responsibility list, claim, returns, extensions, the deadline clock's warnings and overdue
supervision, reply, review, rating, reopening and closing), each step at its own backdated instant, with
the deadline arithmetic of suban.cases.deadlines on the working-day calendar. Lives that have not ended by
now stop where now finds them, so the open piles of the last weeks are what a working platform would show.

The rows are written in bulk (one INSERT per table and batch), not through the services: the services stamp
every step with the present. The events therefore follow the lifecycle table exactly and replay to each
case's status and version (tests/demo/test_history.py checks it), and the assessment roll-ups are rebuilt
from them afterwards. Every unit has a quality of its own, so that rankings have something to rank.

Grid workers get their year too: patrols and work-log entries on working days, each worker with a diligence
of their own, and the cases they reported from their grids.

The package: messages (what the cases say), lives (a case's life and the Simulator of its steps),
planner (how each life goes), district (the cast, places and routing), write (the bulk writes), gridwork
(the grid workers' year) and load (seed_history, the entry point).
"""

from __future__ import annotations

from suban.demo.history.district import Cast, Router
from suban.demo.history.gridwork import GRID_WORK_DAYS, WORK_TEXT
from suban.demo.history.lives import Life, Simulator, Stop
from suban.demo.history.load import (
    CALLERS,
    CHANNELS,
    DEFAULT_CASES,
    HISTORY_DAYS,
    HOURS,
    SEASON,
    SEED,
    URGENCIES,
    WEEKDAY,
    seed_history,
)
from suban.demo.history.messages import HISTORY, REPLIES, Labelled, matter_picker, read_history
from suban.demo.history.planner import DECLINE_SHARE, EXTENSION_SHARE, NOTES, RATING_COMMENTS, RETURN_SHARE, Planner

__all__ = [
    "CALLERS",
    "CHANNELS",
    "DECLINE_SHARE",
    "DEFAULT_CASES",
    "EXTENSION_SHARE",
    "GRID_WORK_DAYS",
    "HISTORY",
    "HISTORY_DAYS",
    "HOURS",
    "NOTES",
    "RATING_COMMENTS",
    "REPLIES",
    "RETURN_SHARE",
    "SEASON",
    "SEED",
    "URGENCIES",
    "WEEKDAY",
    "WORK_TEXT",
    "Cast",
    "Labelled",
    "Life",
    "Planner",
    "Router",
    "Simulator",
    "Stop",
    "matter_picker",
    "read_history",
    "seed_history",
]
