# The attendance sign-in sheet (bot/signin.py): a printed PDF (plain text) and its button.
attendance-btn-signin = 🖨 Sign-in sheet
signin-title = Attendance sign-in sheet
signin-programme = Programme: { $programme }
signin-when = Date and time: { $when }
signin-place = Place: { $place }
signin-organiser = Organiser: { $organiser }
signin-col-number = No.
signin-col-name = Name and surname
signin-col-organisation = Organisation
signin-col-signature = Signature
signin-certified = List checked by: ____________________________ (name, surname, signature)
signin-private-only = The sign-in sheet is sent only in a private chat with the bot.
