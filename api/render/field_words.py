"""The words a worker reads when the server refuses a press on the phone, and the
coordinator's names of actual outcomes: one table each, through the message catalog
(`api.render.words`), keyed by the codes `api.services.field_actions` stores."""

from __future__ import annotations

from api.render.words import N_, Translated

REJECTIONS = Translated({
    "other_worker": N_("This stop is on another worker's route, so your press was not "
                       "counted. Call the coordinator if you did it."),
    "not_on_route": N_("This stop is not on your route for that day. Call the "
                       "coordinator if you did it."),
    "withdrawn": N_("This stop was withdrawn before you pressed the button. Call the "
                    "coordinator if you did it."),
    "kind_mismatch": N_("This button does not fit this stop (a visit has arrived and "
                        "done, a ride has picked up and dropped off)."),
    "day_closed": N_("The coordinator has already closed this day. Tell the coordinator "
                     "what happened."),
})

OUTCOMES = Translated({
    "done": N_("confirmed done"),
    "started": N_("started, not finished"),
    "absent": N_("client absent"),
    "not_done": N_("not done"),
    "unconfirmed": N_("unconfirmed"),
})

# the columns of `trasa actuals` (and any table of a day planned against actual)
HEADINGS = Translated({
    "task": N_("task"),
    "worker": N_("worker"),
    "planned": N_("planned"),
    "actual": N_("actual"),
    "outcome": N_("outcome"),
    "corrected": N_("corrected"),
})

# the live day's alerts (`api.services.live_alerts.AlertKind`) and stop states
ALERTS = Translated({
    "late": N_("running late"),
    "missed": N_("missed arrival"),
    "absent": N_("client absent"),
    "not_done": N_("not done"),
    "arrive_by": N_("will miss the arrive-by time"),
})

STOP_STATES = Translated({
    "done": N_("done"),
    "under_way": N_("under way"),
    "absent": N_("client absent"),
    "not_done": N_("not done"),
    "pending": N_("not yet"),
})
