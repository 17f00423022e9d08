# Organiser side: events list, creation, editing, links, RSVP lists.
org-events-title = <b>Upcoming events</b>
org-no-events = There are no upcoming events. Create one with /newevent.
org-counts = ✅ { $yes } · 🤔 { $maybe } · ❌ { $no } · ⏳ { $waitlist } · invited { $invited } · places { $capacity }
org-unknown-organisation = (organisation not given)
org-rsvp-group = <b>{ $organisation }</b>: { $yes } yes of { $total }
org-rsvp-none = Nobody has answered yet.
org-pick-event = Which event?
org-link =
    Invitation to <b>{ $title }</b>:
    { $link }
    Share the link or print the QR code.
btn-link = 🔗 Link
btn-rsvps = 📋 Answers
btn-edit = ✏️ Edit
btn-save = 💾 Save
btn-save-notify = 💾 Save and tell participants
btn-discard = ✖ Discard
btn-cancel-event = ❌ Cancel the event
btn-cancel-event-confirm = Yes, cancel it and tell participants

new-intro = Let us create an event. You can stop at any time with /cancel.
new-ask-title = Title of the event?
new-ask-programme = Which programme or project does it belong to? Choose one below or type a new name.
new-ask-starts = When does it start? Write the date and time, e.g. <code>2027-03-09 10:00</code> ({ $zone }).
new-ask-ends = When does it end? Write the time, e.g. <code>16:00</code>, or a date and time.
new-ask-place = Where? Write the address, e.g. <code>L. Petravičiaus a. 2, Naujoji Akmenė</code>, or an online join link starting with https://.
new-ask-hall = Hall or room and floor, separated by a comma, e.g. <code>Great hall, 2nd floor</code>.
new-ask-capacity = How many places? Write a number.
new-ask-deadline = Answer deadline? Write the date and time, e.g. <code>2027-03-05 18:00</code>.
new-ask-agenda =
    Agenda, one item per line: time, title, and after a dash the lecturer, e.g.
    <code>10:00 Welcome — J. Jonaitė</code>
new-ask-description = A short description for participants?
new-preview = <b>Preview.</b> Check the event and save it:
new-saved = Event #{ $id } <b>{ $title }</b> saved. Here is its invitation link:
edit-choose = What do you want to change in #{ $id } <b>{ $title }</b>?
edit-ask-title = New title?
edit-ask-time = New date and time, e.g. <code>2027-03-09 10:00-16:00</code> ({ $zone }).
edit-ask-place = New address, or an online join link starting with https://?
edit-ask-hall = Hall or room and floor, separated by a comma?
edit-ask-capacity = New number of places?
edit-ask-deadline = New answer deadline, e.g. <code>2027-03-05 18:00</code>?
edit-ask-agenda = The whole new agenda, one item per line: <code>10:00 Title — Lecturer</code>
edit-ask-description = New description?
edit-saved = Event #{ $id } saved. { $notified } participants will be told about the change.
edit-use-buttons = Please save or discard the change with the buttons above.
error-nothing-to-save = There is nothing to save any more. Start again with /newevent or /editevent.
field-title = Title
field-time = Date and time
field-place = Place or link
field-hall = Hall and floor
field-capacity = Places
field-deadline = Deadline
field-agenda = Agenda
field-description = Description
cancel-event-confirm = Cancel <b>{ $title }</b>? { $people } participants who said yes, maybe or wait for a place will be told.
cancel-event-done = <b>{ $title }</b> is cancelled. { $notified } participants will be told.

error-datetime-format = Please write the date and time like this: <code>{ $example }</code>.
error-time-format = Please write the time like this: <code>{ $example }</code>.
error-time-range = Please write the date and times like this: <code>{ $example }</code>.
error-capacity = Please write a whole number from 1 to { $max }.
error-agenda-line = Line { $line } of the agenda should start with a time, e.g. <code>{ $example }</code>.
error-agenda-too-long = The agenda can have at most { $max } items.
error-place = Please write an address (up to 300 characters) or a link starting with https://.
error-url = The online link must start with http:// or https://.
error-title = The title must be 1 to { $max } characters.
error-timezone = Unknown time zone: { $zone }.
error-end-before-start = The end must be after the start.
error-too-long = An event can last at most 14 days.
error-in-past = This event would already be over. Please check the dates.
error-deadline-after-start = The answer deadline must be before the start.
error-text-too-long = The text is too long (at most { $max } characters).
error-slug = The slug may use only lower-case letters, digits, - and _ (at most 64).
error-toml-syntax = The event file is not valid TOML: { $detail }
error-toml-unknown = The event file has an unknown field: { $field }
error-toml-field = The event file has a missing or wrong field: { $field }
error-encoding = The file is not UTF-8 text.

## /rsvps pages and file, the organiser's preview (e-texts)
org-rsvp-page = Page { $page } of { $pages }
org-rsvp-btn-previous = ◀ { $page }
org-rsvp-btn-next = { $page } ▶
org-rsvp-btn-file = 📄 Whole list (CSV)
org-rsvp-col-organisation = Organisation
org-rsvp-col-name = Name
org-rsvp-col-answer = Answer
org-rsvp-file-caption = <b>{ $title }</b>: the whole list of answers, { $count ->
        [one] { $count } person
       *[other] { $count } people
    }.
preview-field = { $field }: { $value }
preview-field-programme = Programme
preview-field-zone = Time zone
preview-online = Online: { $url }
preview-capacity-unlimited = not limited
