# Schedule area: reminders participants receive, /schedule for organisers.
cmd-schedule = Reminders and questionnaire times of an event

## What participants receive (above the event card)
schedule-reminder-minutes = ⏰ <b>Reminder:</b> the event starts in { $count } { $count ->
        [one] minute
       *[other] minutes
    }.
schedule-reminder-hours = ⏰ <b>Reminder:</b> the event starts in { $count } { $count ->
        [one] hour
       *[other] hours
    }.
schedule-reminder-days = ⏰ <b>Reminder:</b> the event starts in { $count } { $count ->
        [one] day
       *[other] days
    }.
schedule-deadline-header = ⏰ You have not answered this invitation yet. Answers are accepted until { $deadline }; it takes one tap.
schedule-btn-directions = 🗺 How to get there

## /schedule
schedule-title = 🗓 <b>Schedule of #{ $id } { $title }</b>
schedule-zone = Times below are { $zone }.
schedule-offsets-default = Reminders to those who said yes or maybe: { $offsets } before the start (default).
schedule-offsets-custom = Reminders to those who said yes or maybe: { $offsets } before the start (set for this event).
schedule-event-cancelled = ❌ The event is cancelled: no more reminders are sent.
schedule-offset-hours = { $hours } h
schedule-offset-minutes = { $minutes } min
schedule-item-reminder = reminder { $offset } before the start
schedule-item-deadline = reminder to those who have not answered
schedule-item-survey-open = questionnaire goes out
schedule-item-survey-remind = questionnaire reminder
schedule-item-survey-close = questionnaire closes
schedule-earlier-time = (for the earlier time)
schedule-state-sent = queued for { $count } { $count ->
        [one] person
       *[other] people
    }
schedule-state-done = done
schedule-state-due = due now
schedule-state-planned-late = skipped: its time had passed when it was planned
schedule-state-too-late = skipped: too late after a break
schedule-state-superseded = skipped: a later message covered it
schedule-state-not-opened = skipped: the questionnaire did not go out
schedule-pick-event = Whose schedule do you want to see?
schedule-no-events = There are no upcoming events. Create one with /newevent.
schedule-btn-change = ⏰ Change reminder times
schedule-choose-offsets = When should those who said yes or maybe to <b>{ $title }</b> be reminded?
schedule-btn-default = Default: { $offsets }
schedule-btn-none = no reminders
schedule-btn-other = ✏️ Other times
schedule-ask-offsets = Write how many hours before the start to send reminders, separated by commas, e.g. <code>48, 2</code> (half an hour: <code>0.5</code>; at most { $max } times, up to { $days } days before). <code>0</code> turns reminders off. /cancel stops.
schedule-offsets-invalid = Please write hours before the start separated by commas, e.g. <code>48, 2</code> (at most { $max } times, up to { $days } days before), or <code>0</code> for no reminders.
schedule-offsets-saved = Reminder times saved.
