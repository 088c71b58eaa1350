"""The signal of the case engine, for the apps beside it that react to a case's steps (notifications, routing,
assessment, the city sync).

``events_recorded`` (kwarg ``events``: a list of CaseEvent, each with ``.case`` set to the Case object as
written) announces every CaseEvent the services write, exactly once:

- a single step (services.core.record) as a list of one, right after the event's INSERT;
- the steps of a composite unit written together, case_intake (submit, accept and dispatch of one case) and
  intake_many (those of many cases), once, after the cases, the events and the co-handlers have all been
  inserted (every object has its ``pk``).

The list is in the order the steps were taken: per case its events by ``seq``, cases in the order of the
batch; a case's events are contiguous. Two events may share one Case object; the list may hold up to several
thousand events (a batch of 500 orders), so a receiver works set-based: a constant number of queries for the
whole list (e.g. one bulk INSERT), never one per event.

It is sent inside the step's transaction. A receiver may write rows of its own there (an outbox, a roll-up),
which then commit or roll back with the step; it must not send anything or call out itself (use
transaction.on_commit), and raising rolls the step back: a receiver that must never undo a step catches its
own errors inside a savepoint (``transaction.atomic()``), as suban.cases.notices does. Receivers must not
change the Case or CaseEvent objects they are given: other receivers and the caller (the API's answer) read
them afterwards.
"""

from django.dispatch import Signal

# The steps just written: events. See the module's docstring.
events_recorded = Signal()
