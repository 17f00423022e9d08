# Spreadsheets (CSV and XLSX exports): words for codes, and column headers (bot/sheets.py).

sheets-kind-rating = Rating (1–5)
sheets-kind-nps = Recommendation (0–10)
sheets-kind-single = Single choice
sheets-kind-multi = Multiple choice
sheets-kind-text = Free text
sheets-col-answered-at = Answered at (event's local time)
sheets-col-questionnaire = Questionnaire
sheets-col-starts = Starts
sheets-col-ends = Ends
sheets-col-item = Item
sheets-col-value = Value
sheets-yes = yes
sheets-no = no
sheets-links-sheet = Personal links
sheets-links-col-name = Name
sheets-links-col-email = E-mail
sheets-links-col-organisation = Organisation
sheets-links-col-role = Role
sheets-links-col-category = Category
sheets-links-col-link = Personal link
sheets-links-col-qr-file = QR code file
sheets-links-col-opened = Link opened
sheets-links-col-qr = QR code
