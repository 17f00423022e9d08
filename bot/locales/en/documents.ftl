# Documents: certificates, the funder's report, the sign-in sheet and spreadsheets (bot/documents/).

## The certificate of attendance (PDF; plain text, no HTML; bot/documents/certificates.py)
cert-title = CERTIFICATE OF ATTENDANCE
cert-certifies = This is to certify that
cert-attended = attended the training
cert-event-title = “{ $title }”
cert-detail = { $label }: { $value }
cert-label-programme = Programme
cert-label-date = Date
cert-label-place = Venue
cert-label-duration = Duration
cert-label-organiser = Organiser
cert-online = online
cert-hours = { $count ->
        [one] { $hours } hour
       *[other] { $hours } hours
    }
cert-academic-hours = { $count ->
        [one] { $hours } academic hour
       *[other] { $hours } academic hours
    }
cert-issued = Issued on { $date }
cert-reg-number = Reg. No. { $number }
cert-code = Verification code: { $code }
cert-verify-hint = To check this certificate, scan the QR code or open

## Verification and notices to organisers (chat, HTML)
cert-verify-ok =
    ✅ <b>Genuine certificate</b> { $code } (reg. no. { $number })
    { $name }, { $organisation }
    attended “{ $title }”, { $date } ({ $hours }).
    Issued by { $organiser } on { $issued }.
cert-unrenderable = ⚠️ Certificate { $number } ({ $name }, “{ $title }”) could not print these letters: { $letters }. It was sent with blanks in their place. Name a font that has them in <code>[documents] fallback_fonts</code>; the participant can then get it again with /certificate.

## Certificate settings (/attendance → ⚙️)
cert-settings-language = 📄 Certificate language: { $language ->
        [lt] Lithuanian
        [en] English
       *[uk] Ukrainian
    }{ $second ->
        [lt] { " + Lithuanian" }
        [en] { " + English" }
       *[none] { "" }
    }
cert-settings-hours = ⏱ Duration on the certificate: { $hours }{ $declared ->
        [yes] { "" }
       *[no] { " (from the event's times)" }
    }
cert-btn-lang-lt = Lithuanian
cert-btn-lang-en = English
cert-btn-lang-uk = Ukrainian
cert-btn-lang-default = Default language
cert-btn-bilingual-on = + English: on
cert-btn-bilingual-off = + English: off
cert-btn-unit-hours = Hours (60 min)
cert-btn-unit-academic = Academic hours (45 min)
cert-btn-precision = { $digits ->
        [0] Whole numbers
        [1] 1 decimal
       *[other] { $digits } decimals
    }
cert-btn-hours = ✏️ Type the number of hours
cert-ask-hours = How many hours should the certificate state? Send a number such as 6 or 7.5 (in the unit chosen: hours or academic hours). Send 0 to go back to the duration from the event's times.
cert-hours-invalid = That is not a number of hours (0 to { $max }). Send, for example, 6 or 7.5.

## The funder's report (PDF and XLSX; plain text)
report-title = Report to the funder
report-programme = Programme: { $programme }
report-organiser = Organiser: { $organiser }
report-prepared = Prepared on { $date }
report-page = Page { $page } of { $pages }
report-section-events = Events
report-section-institutions = Institutions
report-section-survey = Questionnaire
report-section-comments = Comments
report-sheet-summary = Summary
report-sheet-scores = Scores
report-total = Total
report-none = None.
report-no-organisation = (organisation not given)
report-other-organisations = Other organisations (small groups together)
report-responses = Responses: { $completed } completed of { $eligible } asked ({ $rate }).
report-overall = Overall score: { $score } of 5 (average of { $count } rating { $count ->
        [one] question
       *[other] questions
    }).
report-no-answers = No answers yet.
report-by-organisation = Score by organisation
report-col-date = Date
report-col-event = Event
report-col-place = Place
report-col-invited = Invited
report-col-yes = Said yes
report-col-present = Present
report-col-walkin = Present without a yes
report-col-organisation = Organisation
report-col-question = Question
report-col-n = n
report-col-mean = Mean
report-col-median = Median
report-col-respondents = Respondents
report-col-programme = Programme
report-col-organiser = Organiser
report-col-events = Events
report-col-asked = Asked to answer
report-col-completed = Completed
report-col-overall = Overall score (1–5)
report-col-comment = Comment

# The funder's report (bot/documents/report.py), keys added for its anonymity, NPS and event table.
report-col-time = Time
report-col-hours = Hours
report-col-rated-top = Rated 4–5
report-col-promoters = Promoters (9–10)
report-col-passives = Passives (7–8)
report-col-detractors = Detractors (0–6)
report-col-nps = NPS
report-col-unfinished = Started, not finished
report-scale = { $low } = { $low_label } … { $high } = { $high_label }
report-ratings = Ratings (scale 1–5)
report-chart = Distribution of answers (1–5)
report-section-nps = Recommendation (NPS, scale 0–10)
report-nps-how = NPS = the share of promoters (9–10) minus the share of detractors (0–6), from −100 to +100.
report-n-note = { $unfinished ->
    [0] n = how many people answered the question. It can be lower than the number of completed questionnaires, as optional questions may be skipped.
   *[other] n = how many people answered the question. It can be lower than the number of completed questionnaires, as optional questions may be skipped, and it includes answers from { $unfinished } { $unfinished ->
        [one] questionnaire
       *[other] questionnaires
    } begun but not finished.
}
report-privacy-note = The results are anonymised, as participants were told when they gave their consent: no names are shown beside scores or comments, and organisations with fewer than { $min } respondents are not shown apart.
report-merged-note = Organisations with fewer than { $min } respondents are shown together as “Other organisations” ({ $count } { $count ->
    [one] organisation
   *[other] organisations
} in that row).
report-suppressed-note = The answers of { $count } { $count ->
    [one] respondent
   *[other] respondents
} from organisations with fewer than { $min } respondents are not shown by organisation: even together they are fewer than { $min }. Their answers are included in the results above.
report-sheet-nps = NPS
report-sheet-organisations = By organisation
report-comments-anonymous = Comments are shown as written, without names or organisations.
report-topped-up-note = Together they still had too few respondents (fewer than { $min }), so the smallest of the organisations otherwise shown apart is counted with them: no group's answers can be worked out from the totals.

# The attendance sign-in sheet (bot/documents/signin.py): a printed PDF (plain text) and its button.
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

# Spreadsheets (CSV and XLSX exports): words for codes, and column headers (bot/documents/sheets.py).

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
