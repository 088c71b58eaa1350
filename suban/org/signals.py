"""Signals of the organisation, for the apps above it that copy a unit's path into their own rows."""

from django.dispatch import Signal

# Sent inside the transaction of a move, after the units' paths changed: old_path, new_path (both end in "/").
# A receiver rewrites its own copies of paths below old_path; raising rolls the whole move back.
unit_moved = Signal()
