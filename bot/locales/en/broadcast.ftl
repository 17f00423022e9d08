# Broadcasts: /broadcast, the live progress of a campaign, its report.
cmd-broadcast = Send an invitation, reminder or message to many people

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
