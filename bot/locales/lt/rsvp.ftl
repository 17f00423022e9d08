# RSVPs: the event card, the answers, the waiting list, the calendar file.
card-when = 📅 { $day }, { $start }–{ $end }
card-when-multiday = 📅 { $start_day } { $start } – { $end_day } { $end }
card-place = 📍 { $place }
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
