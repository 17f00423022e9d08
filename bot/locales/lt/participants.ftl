# Participant side: greeting, consent, registration, the event card, RSVPs.
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

card-when = 📅 { $day }, { $start }–{ $end }
card-when-multiday = 📅 { $start_day } { $start } – { $end_day } { $end }
card-place = 📍 { $place }
card-online = 💻 Nuotoliniu būdu (prisijungimo nuorodą parodysime, kai atsakysite „Taip“ arba „Galbūt“)
card-online-link = 💻 Nuotoliniu būdu: <a href="{ $url }">prisijungimo nuoroda</a>
card-places-left = 🪑 { $left ->
        [one] Liko { $left } laisva vieta iš { $capacity }
        [few] Liko { $left } laisvos vietos iš { $capacity }
       *[other] Liko { $left } laisvų vietų iš { $capacity }
    }
card-deadline = ⏰ Prašome atsakyti iki { $deadline }
card-agenda = <b>Darbotvarkė</b>
card-your-answer = Jūsų atsakymas: <b>{ $status }</b>
card-cancelled = ❌ <b>Šis renginys atšauktas.</b>

status-yes = ✅ Dalyvausiu
status-no = ❌ Nedalyvausiu
status-maybe = 🤔 Galbūt
status-waitlist = ⏳ Laukiančiųjų sąraše
status-none = dar nepateiktas

btn-yes = ✅ Taip
btn-no = ❌ Ne
btn-maybe = 🤔 Galbūt
btn-calendar = 📅 Į kalendorių

rsvp-toast-yes = Išsaugota: dalyvausite. Iki susitikimo!
rsvp-toast-no = Išsaugota: nedalyvausite.
rsvp-toast-maybe = Išsaugota: galbūt.
rsvp-toast-waitlist = Vietų nebėra. Įrašėme Jus į laukiančiųjų sąrašą ir pranešime, jei atsilaisvins vieta.
rsvp-refused-deadline = Atsakymų terminas jau baigėsi. Kreipkitės į organizatorių.
rsvp-refused-over = Šis renginys jau pasibaigė.
rsvp-refused-gone = Šis renginys atšauktas arba nebepasiekiamas.
waitlist-promoted = 🎉 Atsilaisvino vieta: užregistravome Jus į renginį <b>{ $title }</b>.
calendar-caption = Atidarykite failą, kad įtrauktumėte renginį <b>{ $title }</b> į savo kalendorių.

my-title = <b>Jūsų renginiai</b>
my-item = { $number }. <b>{ $title }</b> — { $when } — { $status }
my-empty = Būsimų renginių neturite. Atidarykite gautą kvietimo nuorodą – parodysiu renginį.

change-header = ✏️ <b>Renginio pakeitimai: { $title }</b>
change-time = Naujas laikas: { $when }
change-place = Nauja vieta:
change-agenda = Pasikeitė darbotvarkė – ją rasite žemiau.
change-title = (anksčiau – „{ $old }“)
event-cancelled-notice = ❌ Renginys <b>{ $title }</b> atšauktas. Atsiprašome už nepatogumus.
