# Privacy: a person's data as a file, and deleting it (/mydata, /forget).
cmd-mydata = Download all data the bot keeps about you
cmd-forget = Delete your personal data

privacy-export-caption = All data { $organisation } keeps about you in this bot, as a JSON file. To have it deleted, send /forget.
privacy-forget-confirm =
    <b>Delete your personal data?</b>
    Your name, organisation, e-mail and the link to your Telegram account will be erased, your answers to events still to come will be removed, and nothing more will be sent to you. Anonymous questionnaire answers and the counts of past events stay, with nothing that points to you.
    This cannot be undone.
privacy-btn-forget = 🗑 Yes, delete my data
privacy-btn-keep = Keep my data
privacy-forgotten = Your personal data has been deleted, and this bot will send you no more messages. If you open an invitation again, you will be asked for your consent as a new participant.
privacy-forget-kept = Nothing was deleted.
privacy-nothing-held = I hold no personal data about you, so there is nothing to send or delete.
