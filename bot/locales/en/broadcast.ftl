# Broadcasts: /broadcast, the live progress of a campaign, its report, /postcard cards in
# groups and channels, personal invitation links, participant list import.
cmd-broadcast = Send an invitation, reminder or message to many people
cmd-postcard = Post an invitation card in a group or channel

## The guided /broadcast flow
broadcast-choose-event = <b>New broadcast.</b> Which event is it about?
broadcast-btn-no-event = 🌐 No particular event
broadcast-choose-segment = Who should get it? <b>{ $title }</b> (the numbers are people the bot can reach)
broadcast-choose-segment-all = Who should get it? (the numbers are people the bot can reach)
broadcast-seg-invitees = 👥 Everyone invited
broadcast-seg-yes = ✅ Said yes
broadcast-seg-maybe = 🤔 Said maybe
broadcast-seg-no = ❌ Said no
broadcast-seg-none = ❓ Not answered yet
broadcast-seg-org = 🏢 One organisation…
broadcast-seg-programme-of = 📚 Everyone in the programme
broadcast-seg-programme = 📚 One programme…
broadcast-seg-everyone = 🌐 Everyone
broadcast-choose-org = Which organisation?
broadcast-choose-programme = Which programme?
broadcast-no-organisations = Nobody the bot can reach has given an organisation yet.
broadcast-no-programmes = There are no programmes yet.
broadcast-choose-kind = What should they get?
broadcast-kind-invitation = 📨 The invitation: event card with answer buttons
broadcast-kind-reminder = ⏰ A reminder with the event card
broadcast-kind-update = ✏️ My own message
broadcast-ask-text = Write the message. Bold, italics and links are kept. Send /cancel to stop.
broadcast-text-too-long = The message is too long: at most { $max } characters, please.
broadcast-use-buttons = Please use the buttons above, or send /cancel.
broadcast-flow-expired = This step is no longer open. Start again with /broadcast.
broadcast-preview-buttons = <i>Buttons: { $labels }</i>
broadcast-preview-title = <b>Check and send.</b> This is what they will get:
broadcast-preview-count = { $count ->
        [one] It goes to <b>{ $count }</b> person.
       *[other] It goes to <b>{ $count }</b> people.
    }
broadcast-preview-skipped = Skipped as unreachable (blocked the bot, opted out or never opened it): { $count }
broadcast-preview-languages = Languages: { $languages }
broadcast-nobody = Nobody in this group can be reached, so there is nothing to send.
broadcast-btn-send = { $count ->
        [one] ✅ Send to { $count } person
       *[other] ✅ Send to { $count } people
    }
broadcast-seg-desc-invitees = Everyone invited to <b>{ $title }</b>
broadcast-seg-desc-rsvp = Invitees of <b>{ $title }</b> who answered: { $answers }
broadcast-seg-desc-org = Everyone from { $organisation }
broadcast-seg-desc-org-event = Invitees of <b>{ $title }</b> from { $organisation }
broadcast-seg-desc-programme = Everyone in the programme { $programme }
broadcast-seg-desc-everyone = Everyone the bot can reach
broadcast-answer-yes = yes
broadcast-answer-maybe = maybe
broadcast-answer-no = no
broadcast-answer-waitlist = waiting list
broadcast-answer-none = not answered yet

## What recipients get
broadcast-invitation-header = 📨 <b>You are invited</b>
broadcast-reminder-header = ⏰ <b>Reminder:</b> { $title }
    { $when }
broadcast-update-header = ✉️ <b>Message from the organisers</b>
broadcast-update-header-event = ✉️ <b>About { $title }</b>
broadcast-btn-show-event = 📅 Show the event

## Progress and report
broadcast-progress-title = 📤 <b>Campaign #{ $id }</b> is being sent
broadcast-progress-sent = Sent: <b>{ $sent }</b> of { $total }
broadcast-progress-counts = Failed: { $failed } · unreachable: { $unreachable } · remaining: { $remaining }
broadcast-progress-eta = About { $eta } left
broadcast-btn-stop = ⏹ Stop sending
broadcast-stopping = Stopping. The report follows.
broadcast-not-running = This campaign is not being sent any more.
broadcast-not-stopped = This campaign is not stopped.
broadcast-btn-resume = ▶️ Send the rest
broadcast-cancelled = { $count ->
        [one] Stopped: { $count } message was not sent. The report follows.
       *[other] Stopped: { $count } messages were not sent. The report follows.
    }
broadcast-interrupted = ⚠️ The bot restarted while this campaign was being prepared; nothing was sent. Please start it again with /broadcast.
broadcast-report-done = ✅ <b>Campaign #{ $id } is finished</b>
broadcast-report-stopped = ⏹ <b>Campaign #{ $id } was stopped</b>
broadcast-report-sent = Sent: <b>{ $sent }</b> of { $total }
broadcast-report-failed = Failed after several tries: { $count }
broadcast-report-unreachable = Unreachable (blocked the bot or deleted the account): { $count }
broadcast-report-opted-out = Skipped, asked to receive nothing: { $count }
broadcast-report-pending = { $count ->
        [one] { $count } message was not sent and stays queued: press “Send the rest” to continue.
       *[other] { $count } messages were not sent and stay queued: press “Send the rest” to continue.
    }
broadcast-report-duplicates = { $count ->
        [one] { $count } person may have got it twice (it was on its way during a restart).
       *[other] Up to { $count } people may have got it twice (they were on their way during a restart).
    }
broadcast-report-took = Took { $took }.
broadcast-seconds = { $count ->
        [one] { $count } second
       *[other] { $count } seconds
    }
broadcast-minutes = { $count ->
        [one] { $count } minute
       *[other] { $count } minutes
    }
broadcast-hours = { $hours } h { $minutes } min

## Cards in groups and channels
broadcast-group-header = 📨 <b>Invitation.</b> Answer with the buttons; the details and reminders come in a private chat with me.
broadcast-group-private-header = You answered in the group. Here is your invitation:
broadcast-group-see-private = The details are in our private chat.
broadcast-post-choose-event = Which event should the card show?
broadcast-post-choose-chat = Where should I post it? Choose below, or send the id of a group or channel (like <code>-1001234567890</code>) or its @username. I must be an administrator there.
broadcast-post-no-chats = Where should I post it? Send the id of a group or channel (like <code>-1001234567890</code>) or its @username; I must be an administrator there. Or send /postcard inside the group.
broadcast-post-bad-chat = That is not a chat id or @username. Please try again, or send /cancel.
broadcast-post-failed = I could not post there. Please make me an administrator of that group or channel and try again.
broadcast-posted = The invitation card for <b>{ $title }</b> is posted in { $chat }.

## Personal invitation links
broadcast-personal-welcome = Hello, { $name }! This is your personal invitation.
broadcast-personal-taken = This personal link was already opened from another Telegram account. If it is yours, please ask the organiser for a new one.

## Participant lists: import (upload or command line) and export
cmd-personal = Personal invitation links and QR codes (send a CSV/XLSX list to import one)
broadcast-import-ready = { $count ->
        [one] The list has { $count } person: { $new } new, { $updated } already known (same e-mail). Which event are they invited to?
       *[other] The list has { $count } people: { $new } new, { $updated } already known (same e-mail). Which event are they invited to?
    }
broadcast-btn-import-no-event = Import without an event
broadcast-import-done = Imported: { $new } new, { $updated } updated; { $invited } newly invited. Here are the personal links:
broadcast-import-rejected = { $count ->
        [one] Nothing was imported: the list has { $count } problem. Please correct it and send the file again.
       *[other] Nothing was imported: the list has { $count } problems. Please correct them and send the file again.
    }
broadcast-import-row = Row { $row }: { $reason }
broadcast-import-more = … and { $count } more.
broadcast-export-caption = { $count ->
        [one] Personal invitation link and QR code of { $count } person. The ZIP holds the same as CSV and the QR images for a mail merge.
       *[other] Personal invitation links and QR codes of { $count } people. The ZIP holds the same as CSV and the QR images for a mail merge.
    }
broadcast-export-none = Nobody has a personal link yet. Send me a CSV or XLSX list (columns: name, email, organisation, optional role, category) to import one.
broadcast-import-too-big = The file is too large (at most { $max } bytes).
broadcast-import-format = { $name } is not a CSV or XLSX file.
broadcast-import-encoding = broken encoding: the file must be UTF-8 (in Excel: “CSV UTF-8”), and no cell may contain garbled letters.
broadcast-import-too-many = too many rows (at most { $max }).
broadcast-import-csv = the CSV cannot be read ({ $detail }).
broadcast-import-xlsx = the XLSX file cannot be read ({ $detail }).
broadcast-import-empty = the list has no rows.
broadcast-import-unknown-column = unknown column “{ $column }” (expected: name, email, organisation, role, category).
broadcast-import-repeated-column = the column “{ $column }” appears twice.
broadcast-import-missing-column = the column “{ $column }” is missing.
broadcast-import-extra-cells = more cells than the header has columns.
broadcast-import-missing-name = the name is missing.
broadcast-import-bad-name = the name must be 2 to { $max } characters.
broadcast-import-bad-email = “{ $email }” is not an e-mail address.
broadcast-import-duplicate-email = the e-mail { $email } is already on row { $first }.
broadcast-import-bad-organisation = the organisation must be at most { $max } characters.
broadcast-import-too-long = role and category may be at most { $max } characters.

# Limits of an uploaded list (bot/invitations.py ListLimits).
broadcast-import-file-too-big = The file is too large ({ $size } MB; at most { $max } MB). Split the list into smaller files.
broadcast-import-too-wide = too many columns (at most { $max }).
broadcast-import-unpacked-too-big = The XLSX file unpacks to more than { $max } MB, far more than a list of people needs, so it was not opened. Save the list again (or as CSV UTF-8) and send it.
broadcast-import-too-slow = Reading the list took longer than { $seconds } s and was stopped. Split the list into smaller files or send it as CSV UTF-8.
broadcast-import-too-much-memory = Reading the list needed more than { $max } MB of memory and was stopped. Split the list into smaller files or send it as CSV UTF-8.
broadcast-import-unreadable = The file could not be read. Save the list again as XLSX or CSV UTF-8 and send it.
broadcast-export-too-many = More than { $max } people have personal links: too many for files in the chat. On the server run: <code>python -m bot participants export FOLDER</code>
