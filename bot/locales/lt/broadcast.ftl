# Siuntimai: /broadcast, gyva siuntimo eiga, ataskaita.
cmd-broadcast = Išsiųsti kvietimą, priminimą ar žinutę daugeliui žmonių

## Siuntimo žingsniai
broadcast-choose-event = <b>Naujas siuntimas.</b> Apie kurį renginį?
broadcast-btn-no-event = 🌐 Ne apie konkretų renginį
broadcast-choose-segment = Kam siųsti? <b>{ $title }</b> (skaičiai – žmonės, kuriuos botas gali pasiekti)
broadcast-choose-segment-all = Kam siųsti? (skaičiai – žmonės, kuriuos botas gali pasiekti)
broadcast-seg-invitees = 👥 Visiems pakviestiems
broadcast-seg-yes = ✅ Atsakiusiems „taip“
broadcast-seg-maybe = 🤔 Atsakiusiems „galbūt“
broadcast-seg-no = ❌ Atsakiusiems „ne“
broadcast-seg-none = ❓ Dar neatsakiusiems
broadcast-seg-org = 🏢 Vienai organizacijai…
broadcast-seg-programme-of = 📚 Visiems programos dalyviams
broadcast-seg-programme = 📚 Vienai programai…
broadcast-seg-everyone = 🌐 Visiems
broadcast-choose-org = Kuriai organizacijai?
broadcast-choose-programme = Kuriai programai?
broadcast-no-organisations = Nė vienas pasiekiamas žmogus dar nenurodė organizacijos.
broadcast-no-programmes = Programų dar nėra.
broadcast-choose-kind = Ką siųsti?
broadcast-kind-invitation = 📨 Kvietimą: renginio kortelę su atsakymo mygtukais
broadcast-kind-reminder = ⏰ Priminimą su renginio kortele
broadcast-kind-update = ✏️ Savo žinutę
broadcast-ask-text = Parašykite žinutę. Paryškinimai, kursyvas ir nuorodos išliks. Norėdami nutraukti, siųskite /cancel.
broadcast-text-too-long = Žinutė per ilga: daugiausia { $max } { $max ->
        [one] simbolis
        [few] simboliai
       *[other] simbolių
    }.
broadcast-use-buttons = Naudokite mygtukus aukščiau arba siųskite /cancel.
broadcast-flow-expired = Šis žingsnis jau nebegalioja. Pradėkite iš naujo su /broadcast.
broadcast-preview-buttons = <i>Mygtukai: { $labels }</i>
broadcast-preview-title = <b>Patikrinkite ir siųskite.</b> Štai ką jie gaus:
broadcast-preview-count = { $count ->
        [one] Gaus <b>{ $count }</b> žmogus.
        [few] Gaus <b>{ $count }</b> žmonės.
       *[other] Gaus <b>{ $count }</b> žmonių.
    }
broadcast-preview-skipped = Praleidžiami nepasiekiami (užblokavo botą, atsisakė žinučių arba jo neatidarė): { $count }
broadcast-preview-languages = Kalbos: { $languages }
broadcast-nobody = Šioje grupėje nėra nė vieno pasiekiamo žmogaus, tad nėra kam siųsti.
broadcast-btn-send = { $count ->
        [one] ✅ Siųsti { $count } žmogui
        [few] ✅ Siųsti { $count } žmonėms
       *[other] ✅ Siųsti { $count } žmonių
    }
broadcast-seg-desc-invitees = Visi pakviestieji į <b>{ $title }</b>
broadcast-seg-desc-rsvp = Pakviestieji į <b>{ $title }</b>, atsakę: { $answers }
broadcast-seg-desc-org = Visi iš organizacijos „{ $organisation }“
broadcast-seg-desc-org-event = Pakviestieji į <b>{ $title }</b> iš organizacijos „{ $organisation }“
broadcast-seg-desc-programme = Visi programos „{ $programme }“ dalyviai
broadcast-seg-desc-everyone = Visi, kuriuos botas gali pasiekti
broadcast-answer-yes = taip
broadcast-answer-maybe = galbūt
broadcast-answer-no = ne
broadcast-answer-waitlist = laukiančiųjų sąrašas
broadcast-answer-none = dar neatsakė

## Ką gauna gavėjai
broadcast-invitation-header = 📨 <b>Kviečiame Jus</b>
broadcast-reminder-header = ⏰ <b>Priminimas:</b> { $title }
    { $when }
broadcast-update-header = ✉️ <b>Organizatorių žinutė</b>
broadcast-update-header-event = ✉️ <b>Dėl renginio „{ $title }“</b>
broadcast-btn-show-event = 📅 Rodyti renginį

## Eiga ir ataskaita
broadcast-progress-title = 📤 <b>Siuntimas #{ $id }</b> vyksta
broadcast-progress-sent = Išsiųsta: <b>{ $sent }</b> iš { $total }
broadcast-progress-counts = Nepavyko: { $failed } · nepasiekiami: { $unreachable } · liko: { $remaining }
broadcast-progress-eta = Liko maždaug { $eta }
broadcast-btn-stop = ⏹ Sustabdyti siuntimą
broadcast-stopping = Stabdoma. Netrukus gausite ataskaitą.
broadcast-not-running = Šis siuntimas jau nebevyksta.
broadcast-not-stopped = Šis siuntimas nėra sustabdytas.
broadcast-btn-resume = ▶️ Išsiųsti likusias
broadcast-cancelled = { $count ->
        [one] Sustabdyta: { $count } žinutė neišsiųsta. Netrukus gausite ataskaitą.
        [few] Sustabdyta: { $count } žinutės neišsiųstos. Netrukus gausite ataskaitą.
       *[other] Sustabdyta: { $count } žinučių neišsiųsta. Netrukus gausite ataskaitą.
    }
broadcast-interrupted = ⚠️ Botas buvo paleistas iš naujo, kol šis siuntimas buvo ruošiamas; niekas neišsiųsta. Pradėkite iš naujo su /broadcast.
broadcast-report-done = ✅ <b>Siuntimas #{ $id } baigtas</b>
broadcast-report-stopped = ⏹ <b>Siuntimas #{ $id } sustabdytas</b>
broadcast-report-sent = Išsiųsta: <b>{ $sent }</b> iš { $total }
broadcast-report-failed = Nepavyko po kelių bandymų: { $count }
broadcast-report-unreachable = Nepasiekiami (užblokavo botą arba ištrynė paskyrą): { $count }
broadcast-report-opted-out = Praleisti, nes atsisakė žinučių: { $count }
broadcast-report-pending = { $count ->
        [one] { $count } žinutė neišsiųsta ir liko eilėje: norėdami tęsti, spauskite „Išsiųsti likusias“.
        [few] { $count } žinutės neišsiųstos ir liko eilėje: norėdami tęsti, spauskite „Išsiųsti likusias“.
       *[other] { $count } žinučių neišsiųsta ir liko eilėje: norėdami tęsti, spauskite „Išsiųsti likusias“.
    }
broadcast-report-duplicates = { $count ->
        [one] { $count } žmogus galėjo gauti žinutę du kartus (ji buvo siunčiama, kai botas buvo paleistas iš naujo).
        [few] Iki { $count } žmonių galėjo gauti žinutę du kartus (jos buvo siunčiamos, kai botas buvo paleistas iš naujo).
       *[other] Iki { $count } žmonių galėjo gauti žinutę du kartus (jos buvo siunčiamos, kai botas buvo paleistas iš naujo).
    }
broadcast-report-took = Trukmė: { $took }.
broadcast-seconds = { $count ->
        [one] { $count } sekundė
        [few] { $count } sekundės
        [many] { $count } sekundės
       *[other] { $count } sekundžių
    }
broadcast-minutes = { $count ->
        [one] { $count } minutė
        [few] { $count } minutės
        [many] { $count } minutės
       *[other] { $count } minučių
    }
broadcast-hours = { $hours } val. { $minutes } min.
