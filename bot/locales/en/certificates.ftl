## The certificate of attendance (PDF; plain text, no HTML; bot/certificates.py)
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
