# Attendance area: check-in, online join, waitlist offers, certificates, /attendance, /report.
cmd-attendance = Who came: mark present, see the counts
cmd-checkin = Check-in QR code for the entrance
cmd-report = Report for the funder (PDF and XLSX)
cmd-certificate = My certificates of attendance

## Check-in by QR
attendance-checkin-ok = ✅ You are checked in at <b>{ $title }</b>. Welcome!
attendance-checkin-already = ✅ You are already checked in at <b>{ $title }</b>.
attendance-checkin-early = ⏳ Check-in for <b>{ $title }</b> opens at { $opens }. Please scan the code again then.
attendance-checkin-over = <b>{ $title }</b> has ended, so check-in is closed.
attendance-checkin-cancelled = <b>{ $title }</b> has been cancelled.
attendance-checkin-unknown = This check-in code is not valid. Please scan the code shown at the entrance.
attendance-checkin-register = To check you in, I first need your name and organisation (it takes a minute).

## Online events
attendance-btn-join = 💻 Join the meeting
attendance-join-ok = ✅ You are marked present at <b>{ $title }</b>. Join the meeting with the button below.
attendance-join-over = <b>{ $title }</b> has already ended.
attendance-join-no-link = This event has no online meeting link.
attendance-btn-open-meeting = 🔗 Open the meeting

## Waitlist offers
attendance-offer =
    🎟 <b>A place has become free</b> at <b>{ $title }</b> ({ $when }).
    It is held for you until { $until }. Please confirm within { $hours } { $hours ->
        [one] hour
       *[other] hours
    }, otherwise it goes to the next person on the waiting list.
attendance-btn-offer-accept = ✅ Confirm my place
attendance-btn-offer-decline = ❌ I cannot come
attendance-btn-leave-waitlist = 🚪 Leave the waiting list
attendance-btn-show-event = 📅 Show the event
attendance-offer-accepted = 🎉 Your place is confirmed. See you there!
attendance-offer-declined = Thank you for letting us know. The place goes to the next person on the waiting list.
attendance-offer-expired = ⌛ Sorry, the time for this offer is up.
attendance-offer-none = This offer is no longer open.
attendance-offer-lapsed = ⌛ The place offered to you at <b>{ $title }</b> was not confirmed in time and has gone to the next person. You are no longer on the waiting list; to join it again, open the event and press “Yes”.

## Certificates
attendance-cert-caption =
    🎓 Certificate of attendance: <b>{ $title }</b>
    Verification code: <code>{ $code }</code>
attendance-cert-none = You have no certificates yet. They are issued after an event to those marked present.
attendance-cert-pick = Which certificate do you need?
attendance-cert-not-ended = The certificate is issued after the event has ended.
attendance-cert-survey-first = Your certificate is sent as soon as you have completed the questionnaire about the event.
attendance-cert-off = Certificates are not issued for this event. Please contact the organiser.
attendance-cert-not-present = You were not marked present at this event. If you were there, please contact the organiser.

## Verification (/start v_...)
attendance-verify-erased = ✅ <b>Genuine certificate</b> { $code } for “{ $title }”, { $date }. The holder's personal data has been erased at their request.
attendance-verify-forged = ❌ There is no certificate with the code { $code }. It may be mistyped or forged.

## /attendance (organisers)
attendance-pick-event = Which event's attendance?
attendance-no-events = There are no events yet. Create one with /newevent.
attendance-title = 📋 <b>Attendance: #{ $id } { $title }</b>
attendance-counts =
    Invited: { $invited } · said yes: { $yes }
    Present: <b>{ $present }</b> (of them without a “yes”: { $walkin })
    Absent: { $absent } · said yes, not present: { $noshow }
attendance-legend = Tap a name to switch ✅ present / ❌ absent (▫️ not marked).
attendance-page = Page { $page } of { $pages }
attendance-empty = Nobody has answered or checked in yet.
attendance-btn-all-yes = ✅ All who said yes: present
attendance-btn-rest-absent = ❌ The rest: absent
attendance-btn-settings = ⚙️ Settings
attendance-btn-qr = 🔳 Check-in QR
attendance-btn-issue = 🎓 Send certificates now
attendance-btn-report = 📊 Report
attendance-btn-back = ◀ Back
attendance-marked = Marked: { $count } { $count ->
        [one] person
       *[other] people
    }.
attendance-issued = 🎓 Certificates are on their way to { $count } { $count ->
        [one] person
       *[other] people
    }.
attendance-issued-none = Nobody is waiting for a certificate: everyone marked present has one already (or nobody is marked present).
attendance-checkin-qr =
    🔳 <b>Check-in: { $title }</b>
    Show this code at the entrance. It works from { $opens } until { $closes }.
    { $link }

## Settings of an event
attendance-settings-title = ⚙️ <b>Settings: #{ $id } { $title }</b>
attendance-settings-offer-off = Waiting list: a freed place goes to the next person at once.
attendance-settings-offer = Waiting list: a freed place is offered to the next person, who has { $hours } { $hours ->
        [one] hour
       *[other] hours
    } to confirm.
attendance-settings-audience-auto = Questionnaire: to those present; if nobody was marked present, to those who said yes.
attendance-settings-audience-present = Questionnaire: only to those marked present.
attendance-settings-audience-yes = Questionnaire: to everyone who said yes, and anyone present.
attendance-settings-certs-after-event = Certificates: sent to those present when the event ends.
attendance-settings-certs-after-survey = Certificates: sent to those present once they complete the questionnaire.
attendance-settings-certs-off = Certificates: not sent automatically.
attendance-btn-offer-off = Offers off
attendance-btn-offer-hours = Offer { $hours } h
attendance-btn-audience-auto = Questionnaire: auto
attendance-btn-audience-present = … present only
attendance-btn-audience-yes = … all “yes”
attendance-btn-certs-after-event = Certificates: after the event
attendance-btn-certs-after-survey = … after the questionnaire
attendance-btn-certs-off = … off
attendance-settings-saved = Saved.
