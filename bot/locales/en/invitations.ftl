# Invitations: /postcard cards in groups and channels, personal invitation links (and whose
# they are), participant list import and export.
cmd-postcard = Post an invitation card in a group or channel

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

# Identities: personal links opened by a registered person or from another account, and
# Save buttons that belong to another event's draft.
identity-link-confirm = This invitation is for <b>{ $hint }</b>. Is it you?
identity-btn-its-me = ✅ Yes, it is me
identity-btn-not-me = ❌ No
identity-link-not-mine = Nothing was changed. If this link reached you by mistake, you can simply ignore it.
identity-link-confirmed = Thank you. The invitation is now yours.
identity-link-refused-notice = ⚠️ The personal invitation link of <b>{ $name }</b> was opened from a second Telegram account and refused: it stays with the account that opened it first. If this person has changed their account, ask them to contact you.
edit-save-other-event = This Save button belongs to an earlier preview (event #{ $pressed }), but the draft you are editing now is for { $current ->
        [0] a new event
       *[other] event #{ $current }
    }. Nothing was saved. Use the buttons under the latest preview.
