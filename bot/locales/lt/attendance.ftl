# Dalyvavimo sritis: atvykimo žymėjimas vietoje, prisijungimas nuotoliniu būdu, laukiančiųjų pasiūlymai, pažymėjimai, /attendance, /report.
cmd-attendance = Kas dalyvavo: pažymėti atvykusius, skaičiai
cmd-checkin = Atvykimo žymėjimo QR kodas
cmd-report = Ataskaita finansuotojui (PDF ir XLSX)
cmd-certificate = Mano dalyvavimo pažymėjimai

## Atvykimo žymėjimas vietoje (QR)
attendance-checkin-ok = ✅ Pažymėjome Jūsų atvykimą į renginį <b>{ $title }</b>. Sveiki atvykę!
attendance-checkin-already = ✅ Jūsų atvykimas į renginį <b>{ $title }</b> jau pažymėtas.
attendance-checkin-early = ⏳ Atvykimą į renginį <b>{ $title }</b> žymėti pradėsime { $opens }. Tada nuskenuokite kodą dar kartą.
attendance-checkin-over = Renginys <b>{ $title }</b> jau pasibaigė, atvykimas nebežymimas.
attendance-checkin-cancelled = Renginys <b>{ $title }</b> atšauktas.
attendance-checkin-unknown = Šis atvykimo žymėjimo kodas negalioja. Nuskenuokite prie įėjimo rodomą kodą.
attendance-checkin-register = Kad galėtume pažymėti Jūsų atvykimą, pirmiausia reikia Jūsų vardo, pavardės ir organizacijos (tai užtruks minutę).

## Nuotoliniai renginiai
attendance-btn-join = 💻 Prisijungti prie susitikimo
attendance-join-ok = ✅ Pažymėjome, kad dalyvaujate renginyje <b>{ $title }</b>. Prisijunkite mygtuku žemiau.
attendance-join-over = Renginys <b>{ $title }</b> jau pasibaigė.
attendance-join-no-link = Šis renginys neturi nuotolinio susitikimo nuorodos.
attendance-btn-open-meeting = 🔗 Atidaryti susitikimą

## Laukiančiųjų sąrašo pasiūlymai
attendance-offer =
    🎟 <b>Atsilaisvino vieta</b> renginyje <b>{ $title }</b> ({ $when }).
    Ji Jums rezervuota iki { $until }. Patvirtinkite per { $hours } { $hours ->
        [one] valandą
        [few] valandas
        [many] valandos
       *[other] valandų
    }, kitaip vieta atiteks kitam laukiančiajam.
attendance-btn-offer-accept = ✅ Patvirtinu dalyvavimą
attendance-btn-offer-decline = ❌ Negalėsiu dalyvauti
attendance-btn-leave-waitlist = 🚪 Išeiti iš laukiančiųjų sąrašo
attendance-btn-show-event = 📅 Rodyti renginį
attendance-offer-accepted = 🎉 Jūsų vieta patvirtinta. Iki susitikimo!
attendance-offer-declined = Ačiū, kad pranešėte. Vieta atiteks kitam laukiančiajam.
attendance-offer-expired = ⌛ Atsiprašome, šio pasiūlymo laikas baigėsi.
attendance-offer-none = Šis pasiūlymas nebegalioja.
attendance-offer-lapsed = ⌛ Jums pasiūlyta vieta renginyje <b>{ $title }</b> nebuvo laiku patvirtinta ir atiteko kitam. Jūs nebesate laukiančiųjų sąraše; norėdami vėl į jį patekti, atidarykite renginį ir paspauskite „Taip“.

## Pažymėjimai
attendance-cert-caption =
    🎓 Dalyvavimo pažymėjimas: <b>{ $title }</b>
    Patikros kodas: <code>{ $code }</code>
attendance-cert-none = Pažymėjimų dar neturite. Jie išduodami po renginio tiems, kurie pažymėti kaip dalyvavę.
attendance-cert-pick = Kurio pažymėjimo Jums reikia?
attendance-cert-not-ended = Pažymėjimas išduodamas pasibaigus renginiui.
attendance-cert-survey-first = Pažymėjimą atsiųsime, kai tik užpildysite renginio anketą.
attendance-cert-off = Šio renginio pažymėjimai neišduodami. Kreipkitės į organizatorių.
attendance-cert-not-present = Šiame renginyje nesate pažymėti kaip dalyvavę. Jei dalyvavote, kreipkitės į organizatorių.

## Patikra (/start v_...)
attendance-verify-erased = ✅ <b>Tikras pažymėjimas</b> { $code }, renginys „{ $title }“, { $date }. Savininko asmens duomenys jo prašymu ištrinti.
attendance-verify-forged = ❌ Pažymėjimo su kodu { $code } nėra. Gali būti, kad kodas įvestas klaidingai arba pažymėjimas suklastotas.

## /attendance (organizatoriams)
attendance-pick-event = Kurio renginio dalyvius žymėsite?
attendance-no-events = Renginių dar nėra. Sukurkite renginį komanda /newevent.
attendance-title = 📋 <b>Dalyvavimas: #{ $id } { $title }</b>
attendance-counts =
    Pakviesta: { $invited } · atsakė „taip“: { $yes }
    Dalyvavo: <b>{ $present }</b> (iš jų be „taip“: { $walkin })
    Nedalyvavo: { $absent } · atsakė „taip“, bet nepažymėti: { $noshow }
attendance-legend = Paspauskite vardą, kad perjungtumėte ✅ dalyvavo / ❌ nedalyvavo (▫️ nepažymėta).
attendance-page = Puslapis { $page } iš { $pages }
attendance-empty = Dar niekas neatsakė ir nė vieno atvykimo nepažymėta.
attendance-btn-all-yes = ✅ Visi atsakę „taip“ dalyvavo
attendance-btn-rest-absent = ❌ Kiti nedalyvavo
attendance-btn-settings = ⚙️ Nustatymai
attendance-btn-qr = 🔳 Atvykimo žymėjimo QR
attendance-btn-issue = 🎓 Siųsti pažymėjimus dabar
attendance-btn-report = 📊 Ataskaita
attendance-btn-back = ◀ Atgal
attendance-marked = Pažymėta: { $count } { $count ->
        [one] dalyvis
        [few] dalyviai
        [many] dalyvio
       *[other] dalyvių
    }.
attendance-issued = 🎓 Pažymėjimai siunčiami: { $count } { $count ->
        [one] dalyviui
        [few] dalyviams
        [many] dalyvio
       *[other] dalyvių
    }.
attendance-issued-none = Pažymėjimo niekas nelaukia: visi pažymėti kaip dalyvavę jį jau turi (arba niekas nepažymėtas).
attendance-checkin-qr =
    🔳 <b>Atvykimo žymėjimas: { $title }</b>
    Rodykite šį kodą prie įėjimo. Jis galioja nuo { $opens } iki { $closes }.
    { $link }

## Renginio nustatymai
attendance-settings-title = ⚙️ <b>Nustatymai: #{ $id } { $title }</b>
attendance-settings-offer-off = Laukiančiųjų sąrašas: atsilaisvinusi vieta iškart atitenka kitam laukiančiajam.
attendance-settings-offer = Laukiančiųjų sąrašas: atsilaisvinusi vieta pasiūloma kitam laukiančiajam, kuris turi { $hours } { $hours ->
        [one] valandą
        [few] valandas
        [many] valandos
       *[other] valandų
    } jai patvirtinti.
attendance-settings-audience-auto = Anketa: dalyvavusiems; jei niekas nepažymėtas, atsakiusiems „taip“.
attendance-settings-audience-present = Anketa: tik pažymėtiems kaip dalyvavę.
attendance-settings-audience-yes = Anketa: visiems atsakiusiems „taip“ ir visiems dalyvavusiems.
attendance-settings-certs-after-event = Pažymėjimai: siunčiami dalyvavusiems renginiui pasibaigus.
attendance-settings-certs-after-survey = Pažymėjimai: siunčiami dalyvavusiems, kai jie užpildo anketą.
attendance-settings-certs-off = Pažymėjimai: automatiškai nesiunčiami.
attendance-btn-offer-off = Be pasiūlymų
attendance-btn-offer-hours = Pasiūlyti { $hours } val.
attendance-btn-audience-auto = Anketa: automatiškai
attendance-btn-audience-present = … tik dalyvavusiems
attendance-btn-audience-yes = … visiems „taip“
attendance-btn-certs-after-event = Pažymėjimai: po renginio
attendance-btn-certs-after-survey = … po anketos
attendance-btn-certs-off = … nesiųsti
attendance-settings-saved = Išsaugota.
