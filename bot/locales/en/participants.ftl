# Participant side: greeting, consent, registration, the event card, RSVPs.
welcome =
    Hello! I am <b>Kvietimas</b>, the bot that sends invitations to trainings.
    Open the invitation link or scan the QR code you received from the organiser, and I will show you the event.
welcome-back = Welcome back, { $name }! Send /my to see your events.
greeting = Hello! You are invited to <b>{ $title }</b>.
consent-text =
    Before we start: to register you for trainings, { $organiser } keeps your name, organisation, Telegram ID, your answers and, after the training, your ratings. They are used only to organise the trainings and to report anonymised results to the funder.
    You can see your data with /mydata and delete it with /forget at any time.
btn-consent = ✅ I agree
register-consent-first = Please press “I agree” above first.
register-ask-name = What is your name and surname?
register-ask-organisation = Which organisation or institution do you work for?
register-done = Thank you, { $name }! You are registered.
error-name = Please write your name and surname (2 to { $max } characters).
error-organisation = Please write the name of your organisation (2 to { $max } characters).

card-when = 📅 { $day }, { $start }–{ $end }
card-when-multiday = 📅 { $start_day } { $start } – { $end_day } { $end }
card-place = 📍 { $place }
card-online = 💻 Online (the join link is shown after you answer yes or maybe)
card-online-link = 💻 Online: <a href="{ $url }">join link</a>
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

my-title = <b>Your events</b>
my-item = { $number }. <b>{ $title }</b> — { $when } — { $status }
my-empty = You have no upcoming events. Open an invitation link to see one.

change-header = ✏️ <b>Change to { $title }</b>
change-time = New time: { $when }
change-place = New place:
change-agenda = The agenda has changed; see it below.
change-title = (previously “{ $old }”)
event-cancelled-notice = ❌ <b>{ $title }</b> has been cancelled. We are sorry for the inconvenience.
