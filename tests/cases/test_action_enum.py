"""The actions are one enum (suban.cases.models.Action): the lifecycle table, the labels, the notifications,
the assessment and the choices of CaseEvent.action all name them through it."""

from __future__ import annotations

from suban.assess import measures
from suban.cases import notices
from suban.cases.labels import ACCEPT_DISPATCH, ACTION_LABELS, EVENT_LABELS
from suban.cases.lifecycle import ACTIONS, NOT_EXPOSED, TABLE
from suban.cases.models import Action, CaseEvent


def test_every_step_is_an_action_and_every_action_a_step():
    assert {t.action for t in TABLE} | {Action.SUBMIT} == set(Action)
    assert all(isinstance(t.action, Action) for t in TABLE) and len(ACTIONS) == len(set(ACTIONS))


def test_the_events_choices_are_the_actions():
    assert dict(CaseEvent._meta.get_field("action").choices) == {a.value: a.label for a in Action}


def test_every_action_a_person_takes_has_a_button_and_every_step_a_label():
    assert set(ACTION_LABELS) - {ACCEPT_DISPATCH} <= set(Action)
    assert set(ACTIONS) - set(NOT_EXPOSED) <= set(ACTION_LABELS)
    assert set(EVENT_LABELS) == {a.value for a in Action}


def test_the_rules_name_actions_of_the_enum():
    for group in (notices.TELLING, measures.ROUND_STARTS, measures.RESPONSES, measures.ESCALATIONS):
        assert group and all(isinstance(a, Action) for a in group)
