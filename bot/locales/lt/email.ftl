# El. paštas: siuntimas (demonstracijos vietinis SMTP serveris); kvietimai prideda savo tekstus žemiau.
email-devserver-written = { $count ->
    [one] Vietinis SMTP serveris gavo { $count } el. laišką, jis įrašytas į { $folder }
    [few] Vietinis SMTP serveris gavo { $count } el. laiškus, jie įrašyti į { $folder }
   *[other] Vietinis SMTP serveris gavo { $count } el. laiškų, jie įrašyti į { $folder }
}
email-devserver-listening = Vietinis SMTP serveris veikia adresu { $host }:{ $port }; el. laiškai įrašomi į { $folder }

# Kvietimai el. paštu (bot/email/). Renginio eilutės (laikas, vieta, darbotvarkė) ir
# antraštės imamos iš pokalbio raktų (card-*, broadcast-*-header), kad tekstai nesiskirtų.

## Laiškas
email-subject-invitation = Kvietimas: { $title }
email-subject-reminder = Priminimas: { $title }
email-greeting = Sveiki, { $name },
email-greeting-anonymous = Sveiki,
email-intro-invitation = { $organisation } kviečia Jus į mokymus. Atsakyti galite „Telegram“ programėlėje: asmeninė nuoroda žemiau atveria botą, kuris jau žino, kas Jūs esate.
email-intro-reminder = Savo kvietimo dar neatvėrėte. Asmeninė nuoroda žemiau atveria botą „Telegram“ programėlėje: atsakyti užtruks kelias sekundes.
email-button = Atverti mano kvietimą „Telegram“
email-link-hint = Jei mygtukas neveikia, nukopijuokite šią nuorodą į naršyklę:
email-qr-hint = Skaitote kompiuteriu? Nuskenuokite kodą telefono kamera.
email-qr-alt = Asmeninės nuorodos QR kodas
email-personal = Nuoroda skirta tik Jums: prašome šio laiško nepersiųsti.
email-ics-hint = Pridėtas kalendoriaus failas įrašys mokymus į Jūsų kalendorių.
email-contact = Turite klausimų? Atsakykite į šį laišką arba rašykite { $contact }.
email-why = Šį laišką gavote, nes { $organisation } įtraukė Jus į šių mokymų dalyvių sąrašą.
email-unsubscribe = Daugiau laiškų man nesiųsti

## Atsisakymo puslapis
email-unsub-title = Laiškų atsisakymas
email-unsub-question = Daugiau nesiųsti { $organisation } laiškų adresu { $address }?
email-unsub-button = Daugiau laiškų man nesiųsti
email-unsub-done = Atlikta: adresu { $address } laiškų daugiau nesiųsime.
email-unsub-unknown = Ši nuoroda negalioja.

## Organizatoriaus žingsniai (/broadcast -> el. paštu)
email-btn-by-email = 📧 El. paštu (dar ne „Telegram“)
email-off = Šiam botui el. paštas nenustatytas (nustatymai [email], docs/email.md).
email-choose-segment = 📧 <b>{ $title }</b>: kam siųsti laišką? (pakviesti žmonės, kurių adresas žinomas)
email-seg-not-opened = Dar neatvėrė boto ({ $count })
email-seg-all = Visi pakviesti, kurių adresas žinomas ({ $count })
email-seg-org = Viena organizacija
email-choose-org = Kuriai organizacijai?
email-choose-kind = Kokį laišką siųsti?
email-kind-invitation = 📨 Kvietimą, dabar
email-kind-reminder-now = ⏰ Priminimą, dabar
email-kind-reminder-later = ⏰ Priminimą po { $hours } val.
email-preview-title = 📧 <b>Laiško peržiūra</b>
email-preview-subject = Tema: { $subject }
email-preview-count = Gavėjų: { $count } (kiekvienas gaus savo nuorodą, QR kodą ir kalendoriaus failą)
email-preview-skipped = Nerašysime (atsisakė arba adresas neveikia): { $count }
email-preview-later = Bus išsiųstas { $when } tiems, kurie iki tol nei atvėrė nuorodos, nei atsakė.
email-btn-send = 📧 Siųsti laiškus ({ $count })
email-btn-schedule = ⏰ Suplanuoti priminimą
email-nobody = Šioje grupėje nėra nė vieno žmogaus, kuriam galėtume parašyti.
email-queued = 📧 Eilėje laiškų: { $count }; jie išeis šiam botui nustatytu tempu.
email-scheduled = ⏰ Priminimas bus išsiųstas { $when }.
email-btn-report = 📊 Laiškų ataskaita
email-report-title = 📧 <b>Laiškai apie { $title }</b>
email-report-campaign = <b>{ $kind }</b> ({ $when })
email-report-totals = Išsiųsta { $sent } · laukia { $pending } · atmesta { $refused } · grįžo { $bounced } · atsisakė { $unsubscribed } · vėliau atvėrė botą { $opened }
email-report-line = { $organisation }: laiškų { $queued }, atvėrė botą { $opened }, grįžo { $bounced }, atsisakė { $unsubscribed }
email-report-no-organisation = (be organizacijos)
email-report-none = Apie šį renginį laiškų dar nesiųsta.
email-report-waiting = laukia iki { $when }
email-progress = 📧 Siunčiami laiškai apie <b>{ $title }</b>: išsiųsta { $sent } · laukia { $pending } · atmesta { $refused }
email-progress-done = 📧 <b>{ $title }</b>: laiškai išsiųsti.
