# Shared texts: errors, help, language, command menu.
language-name = 🇬🇧 English
language-choose = Choose your language:
language-set = Done: I will write to you in English.

cmd-my = My events and answers
cmd-language = Change language
cmd-help = What this bot can do
cmd-events = Upcoming events with live counts
cmd-newevent = Create an event step by step
cmd-editevent = Change an event and tell participants
cmd-rsvps = Answers to an event, by organisation
cmd-invite = Invitation link and QR code
cmd-cancel = Stop what you are doing now

help-participant =
    <b>Kvietimas</b> sends you invitations to trainings, keeps your answer and reminds you.
    Open an invitation link or scan its QR code to see an event and answer with the buttons.

    /my – your events and answers
    /certificate – your certificates of attendance
    /mydata – all data the bot keeps about you, as a file
    /forget – delete your personal data
    /language – change the language
    /cancel – leave the current step
    /help – this help
help-organiser =
    <b>For organisers</b>
    /events – upcoming events with yes / maybe / no counts
    /newevent – create an event step by step (with a preview before saving)
    /editevent – change time, place or agenda; people who said yes or maybe are told
    /rsvps – answers grouped by organisation
    /invite – the invitation link and its QR code
    /broadcast – send an invitation, update or reminder to a group of people, with a preview
    /personal – personal invitation links for an imported list
    /postcard – post an invitation card into a group or channel
    /schedule – reminders and questionnaire moments of an event
    /attendance – mark who came; /checkin – the check-in QR code
    /survey – open, close or set up the questionnaire
    /scores – questionnaire results; /export – CSV and XLSX
    /report – the funder's report (PDF and XLSX)
    /cancel – leave the current step-by-step flow

error-generic = Sorry, something went wrong on our side. Please try again in a minute.
error-organiser-notice = ⚠️ The bot hit an error ({ $kind }: { $detail }). The person got an apology; details are in the log.
error-not-organiser = This is for organisers only.
error-stale-button = This button is no longer valid. Send /my to see your events.
error-bad-link = This invitation link is not valid or has expired. Please ask the organiser for a new one.
error-unknown-command = I do not know that command. Send /help to see what I can do.
error-event-gone = This event is no longer available.
error-event-not-found = There is no such event (it may have been cancelled).
free-text-hint = I work mostly with buttons. Send /my to see your events or /help for help.
cancelled = Cancelled. Nothing was saved.
nothing-to-cancel = There is nothing to cancel.

btn-skip = Skip ⏭
btn-cancel = Cancel ✖
btn-back = ◀ Back

# /cancel and /language from a participant (e-texts)
language-set-not-kept = I will remember this language once you agree to the data notice (open your invitation link). Until then I write in the language of your Telegram app.
cancel-participant-nothing = You are not in the middle of anything, so there is nothing to stop. Your events: /my.
cancel-participant-registration = Registration stopped. To finish it, open your invitation link again.
cancel-participant-survey = All right, I am no longer waiting for a written answer. Go on with the questionnaire using the buttons under the question.
cancel-participant-step = Stopped. Your events: /my.
zone-vilnius = in Vilnius time
zone-other = in the time zone { $zone }

# Access rules (bot/access.py, docs/privacy.md): private chats for organiser screens, the
# online meeting link only for those who said yes.
access-private-chat-only = Please use our private chat for this: organiser screens show people's data, so I do not show them in groups.
access-card-online = 💻 Online (after you answer “Yes”, the “Join the meeting” button gives you the link shortly before the start)
access-join-not-yes = The meeting link is for those who answered “Yes”. Please answer on the event card first.
access-join-early = The meeting of <b>{ $title }</b> opens at { $opens }. Press “Join the meeting” on the event card from then on: the link is given at that time.
