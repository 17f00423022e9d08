# Participant side: greeting, consent, registration, /my, notices of changes (the card and the answers: rsvp.ftl).
welcome =
    Sveiki! Aš – <b>Kvietimas</b>, botas, siunčiantis kvietimus į mokymus.
    Atidarykite iš organizatoriaus gautą kvietimo nuorodą arba nuskenuokite QR kodą – parodysiu renginį.
welcome-back = Sveiki sugrįžę! Užsiregistravote vardu { $name }. Jūsų renginiai – /my.
greeting = Sveiki! Kviečiame Jus į renginį <b>{ $title }</b>.
consent-text =
    Prieš pradedant: kad galėtų užregistruoti Jus į mokymus, { $organiser } saugo Jūsų vardą, pavardę, organizaciją, „Telegram“ ID ir atsakymus, o po mokymų – ir Jūsų vertinimus. Šie duomenys naudojami tik mokymams organizuoti ir nuasmenintiems rezultatams pateikti finansuotojui.
    Savo duomenis bet kada galite peržiūrėti komanda /mydata, o ištrinti – komanda /forget.
btn-consent = ✅ Sutinku
register-consent-first = Pirmiausia paspauskite „Sutinku“ aukščiau.
register-ask-name = Koks Jūsų vardas ir pavardė?
register-ask-organisation = Kurioje organizacijoje ar įstaigoje dirbate?
register-done = Ačiū! Užregistravome Jus vardu { $name }.
error-name = Įrašykite vardą ir pavardę (nuo 2 iki { $max } { $max ->
        [one] simbolio
       *[other] simbolių
    }).
error-organisation = Įrašykite savo organizacijos pavadinimą (nuo 2 iki { $max } { $max ->
        [one] simbolio
       *[other] simbolių
    }).

my-title = <b>Jūsų renginiai</b>
my-item = { $number }. <b>{ $title }</b> — { $when } — { $status }
my-empty = Būsimų renginių neturite. Atidarykite gautą kvietimo nuorodą – parodysiu renginį.

change-header = ✏️ <b>Renginio pakeitimai: { $title }</b>
change-time = Naujas laikas: { $when }
change-place = Nauja vieta:
change-agenda = Pasikeitė darbotvarkė – ją rasite žemiau.
change-title = (anksčiau – „{ $old }“)
event-cancelled-notice = ❌ Renginys <b>{ $title }</b> atšauktas. Atsiprašome už nepatogumus.
