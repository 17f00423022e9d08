# Participant side: greeting, consent, registration, /my, notices of changes (the card and the answers: rsvp.ftl).
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

my-title = <b>Your events</b>
my-item = { $number }. <b>{ $title }</b> — { $when } — { $status }
my-empty = You have no upcoming events. Open an invitation link to see one.

change-header = ✏️ <b>Change to { $title }</b>
change-time = New time: { $when }
change-place = New place:
change-agenda = The agenda has changed; see it below.
change-title = (previously “{ $old }”)
event-cancelled-notice = ❌ <b>{ $title }</b> has been cancelled. We are sorry for the inconvenience.
