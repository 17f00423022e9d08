# RSVPs: the event card, the answers, the waiting list, the calendar file.
card-when = 📅 { $day }, { $start }–{ $end }
card-when-multiday = 📅 { $start_day } { $start } – { $end_day } { $end }
card-place = 📍 { $place }
card-places-left = 🪑 { $left } of { $capacity } places left
card-deadline = ⏰ Please answer by { $deadline }
card-agenda = <b>Agenda</b>
card-your-answer = Your answer: <b>{ $status }</b>
card-cancelled = ❌ <b>This event has been cancelled.</b>

status-yes = ✅ I will come
status-no = ❌ I will not come
status-maybe = 🤔 Maybe
status-waitlist = ⏳ On the waiting list
status-none = not given yet

btn-yes = ✅ Yes
btn-no = ❌ No
btn-maybe = 🤔 Maybe
btn-calendar = 📅 Add to calendar

rsvp-toast-yes = Saved: you will come. See you there!
rsvp-toast-no = Saved: you will not come.
rsvp-toast-maybe = Saved: maybe.
rsvp-toast-waitlist = The event is full. You are on the waiting list and will get a message if a place frees up.
rsvp-refused-deadline = The answer deadline has passed. Please contact the organiser.
rsvp-refused-over = This event has already ended.
rsvp-refused-gone = This event has been cancelled or is no longer available.
waitlist-promoted = 🎉 A place has become free: you are now registered for <b>{ $title }</b>.
calendar-caption = Open the file to add <b>{ $title }</b> to your calendar.
