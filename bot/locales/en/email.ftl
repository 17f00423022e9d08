# E-mail: the transport (the local SMTP server of the demo); the invitations add theirs below.
email-devserver-written = { $count ->
    [one] { $count } e-mail received by the local SMTP server, written to { $folder }
   *[other] { $count } e-mails received by the local SMTP server, written to { $folder }
}
email-devserver-listening = Local SMTP server on { $host }:{ $port }; e-mails are written to { $folder }

# Invitations by e-mail (bot/email/). The event's lines (time, place, agenda) and the
# headers come from the chat's own keys (card-*, broadcast-*-header), so the two cannot
# drift apart. E-mails are plain text and HTML: tags here are the same few as in the chat.

## The e-mail
email-subject-invitation = Invitation: { $title }
email-subject-reminder = Reminder: { $title }
email-greeting = Hello { $name },
email-greeting-anonymous = Hello,
email-intro-invitation = { $organisation } invites you to a training. You answer in Telegram: your personal link below opens the bot, which already knows who you are.
email-intro-reminder = You have not opened your invitation yet. Your personal link below opens the bot in Telegram: answer there in two taps.
email-button = Open my invitation in Telegram
email-link-hint = If the button does not work, copy this link into your browser:
email-qr-hint = Reading this on a computer? Scan the code with your phone's camera.
email-qr-alt = QR code of your personal link
email-personal = The link is yours alone: please do not forward this e-mail.
email-ics-hint = The attached calendar file adds the training to your calendar.
email-contact = Questions? Reply to this e-mail or write to { $contact }.
email-why = You receive this e-mail because { $organisation } put you on the participant list of this training.
email-unsubscribe = Send me no more e-mails

## The unsubscribe page
email-unsub-title = Unsubscribe
email-unsub-question = Send no more e-mails from { $organisation } to { $address }?
email-unsub-button = Send me no more e-mails
email-unsub-done = Done: no more e-mails will be sent to { $address }.
email-unsub-unknown = This link is not valid (or no longer valid).

## The organiser's flow (/broadcast -> by e-mail)
email-btn-by-email = 📧 By e-mail (people not on Telegram yet)
email-off = E-mail is not set up for this bot (the [email] settings, docs/email.md).
email-choose-segment = 📧 <b>{ $title }</b>: who gets the e-mail? (people invited with an address)
email-seg-not-opened = Not opened the bot yet ({ $count })
email-seg-all = Everyone invited with an address ({ $count })
email-seg-org = One organisation
email-choose-org = Which organisation?
email-choose-kind = What should the e-mail be?
email-kind-invitation = 📨 The invitation, now
email-kind-reminder-now = ⏰ A reminder, now
email-kind-reminder-later = ⏰ A reminder in { $hours } hours
email-preview-title = 📧 <b>E-mail preview</b>
email-preview-subject = Subject: { $subject }
email-preview-count = Recipients: { $count } (each gets their own link, a QR code and a calendar file)
email-preview-skipped = Not written to (unsubscribed or undeliverable): { $count }
email-preview-later = Goes out on { $when } to those who by then have neither opened their link nor answered.
email-btn-send = 📧 Send e-mails ({ $count })
email-btn-schedule = ⏰ Schedule the reminder
email-nobody = Nobody in this group has an address to write to.
email-queued = 📧 { $count } e-mails are queued and go out at the pace set for this bot.
email-scheduled = ⏰ The reminder will go out on { $when }.
email-btn-report = 📊 E-mail report
email-report-title = 📧 <b>E-mails about { $title }</b>
email-report-campaign = <b>{ $kind }</b> ({ $when })
email-report-totals = Sent { $sent } · waiting { $pending } · refused { $refused } · bounced { $bounced } · unsubscribed { $unsubscribed } · opened the bot afterwards { $opened }
email-report-line = { $organisation }: { $queued } e-mails, opened the bot { $opened }, bounced { $bounced }, unsubscribed { $unsubscribed }
email-report-no-organisation = (no organisation)
email-report-none = No e-mails were sent about this event yet.
email-report-waiting = waiting until { $when }
email-progress = 📧 Sending the e-mails about <b>{ $title }</b>: sent { $sent } · waiting { $pending } · refused { $refused }
email-progress-done = 📧 <b>{ $title }</b>: the e-mails are sent.
