# Siuntimai: /broadcast, gyva siuntimo eiga, ataskaita, /postcard kortelės grupėse ir
# kanaluose, asmeninės kvietimo nuorodos, dalyvių sąrašo importas.
cmd-broadcast = Išsiųsti kvietimą, priminimą ar žinutę daugeliui žmonių
cmd-postcard = Paskelbti kvietimo kortelę grupėje ar kanale

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

## Kortelės grupėse ir kanaluose
broadcast-group-header = 📨 <b>Kvietimas.</b> Atsakykite mygtukais; išsami informacija ir priminimai ateis asmeniniame pokalbyje su manimi.
broadcast-group-private-header = Atsakėte grupėje. Štai Jūsų kvietimas:
broadcast-group-see-private = Išsami informacija – mūsų asmeniniame pokalbyje.
broadcast-post-choose-event = Kurio renginio kortelę paskelbti?
broadcast-post-choose-chat = Kur paskelbti? Pasirinkite žemiau arba atsiųskite grupės ar kanalo ID (pvz., <code>-1001234567890</code>) arba @vardą. Turiu būti ten administratorius.
broadcast-post-no-chats = Kur paskelbti? Atsiųskite grupės ar kanalo ID (pvz., <code>-1001234567890</code>) arba @vardą; turiu būti ten administratorius. Arba siųskite /postcard pačioje grupėje.
broadcast-post-bad-chat = Tai nėra pokalbio ID ar @vardas. Bandykite dar kartą arba siųskite /cancel.
broadcast-post-failed = Nepavyko ten paskelbti. Paskirkite mane tos grupės ar kanalo administratoriumi ir bandykite dar kartą.
broadcast-posted = Renginio <b>{ $title }</b> kvietimo kortelė paskelbta: { $chat }.

## Asmeninės kvietimo nuorodos
broadcast-personal-welcome = Sveiki, { $name }! Tai Jūsų asmeninis kvietimas.
broadcast-personal-taken = Ši asmeninė nuoroda jau buvo atidaryta iš kitos „Telegram“ paskyros. Jei ji Jūsų, paprašykite organizatoriaus naujos.

## Dalyvių sąrašai: importas (įkeliant arba komandų eilute) ir eksportas
cmd-personal = Asmeninės kvietimo nuorodos ir QR kodai (atsiųskite CSV/XLSX sąrašą importui)
broadcast-import-ready = { $count ->
        [one] Sąraše { $count } žmogus: naujų { $new }, jau žinomų (tas pats el. paštas) { $updated }. Į kurį renginį juos kviečiate?
        [few] Sąraše { $count } žmonės: naujų { $new }, jau žinomų (tas pats el. paštas) { $updated }. Į kurį renginį juos kviečiate?
       *[other] Sąraše { $count } žmonių: naujų { $new }, jau žinomų (tas pats el. paštas) { $updated }. Į kurį renginį juos kviečiate?
    }
broadcast-btn-import-no-event = Importuoti be renginio
broadcast-import-done = Importuota: naujų { $new }, atnaujintų { $updated }; naujai pakviestų { $invited }. Štai asmeninės nuorodos:
broadcast-import-rejected = { $count ->
        [one] Niekas neimportuota: sąraše { $count } klaida. Ištaisykite ją ir atsiųskite failą dar kartą.
        [few] Niekas neimportuota: sąraše { $count } klaidos. Ištaisykite jas ir atsiųskite failą dar kartą.
       *[other] Niekas neimportuota: sąraše { $count } klaidų. Ištaisykite jas ir atsiųskite failą dar kartą.
    }
broadcast-import-row = { $row } eilutė: { $reason }
broadcast-import-more = … ir dar { $count }.
broadcast-export-caption = { $count ->
        [one] { $count } žmogaus asmeninė kvietimo nuoroda ir QR kodas. ZIP faile – tas pats CSV formatu ir QR paveikslėliai laiškų suliejimui.
       *[other] { $count } žmonių asmeninės kvietimo nuorodos ir QR kodai. ZIP faile – tas pats CSV formatu ir QR paveikslėliai laiškų suliejimui.
    }
broadcast-export-none = Asmeninių nuorodų dar niekas neturi. Atsiųskite man CSV ar XLSX sąrašą (stulpeliai: name, email, organisation, nebūtini role, category), kad jį importuočiau.
broadcast-import-too-big = Failas per didelis (daugiausia { $max } { $max ->
        [one] baitas
        [few] baitai
       *[other] baitų
    }).
broadcast-import-format = { $name } nėra CSV ar XLSX failas.
broadcast-import-encoding = sugadinta koduotė: failas turi būti UTF-8 (Excel: „CSV UTF-8“) ir jokiame langelyje negali būti iškraipytų raidžių.
broadcast-import-too-many = per daug eilučių (daugiausia { $max }).
broadcast-import-csv = CSV failo nepavyksta perskaityti ({ $detail }).
broadcast-import-xlsx = XLSX failo nepavyksta perskaityti ({ $detail }).
broadcast-import-empty = sąraše nėra eilučių.
broadcast-import-unknown-column = nežinomas stulpelis „{ $column }“ (tinka: name, email, organisation, role, category).
broadcast-import-repeated-column = stulpelis „{ $column }“ kartojasi.
broadcast-import-missing-column = trūksta stulpelio „{ $column }“.
broadcast-import-extra-cells = daugiau langelių nei antraštėje stulpelių.
broadcast-import-missing-name = trūksta vardo.
broadcast-import-bad-name = vardas turi būti nuo 2 iki { $max } simbolių.
broadcast-import-bad-email = „{ $email }“ nėra el. pašto adresas.
broadcast-import-duplicate-email = el. paštas { $email } jau yra { $first } eilutėje.
broadcast-import-bad-organisation = organizacijos pavadinimas gali būti ne ilgesnis kaip { $max } simbolių.
broadcast-import-too-long = pareigos ir kategorija gali būti ne ilgesnės kaip { $max } simbolių.

# Įkelto sąrašo ribos (bot/invitations.py ListLimits).
broadcast-import-file-too-big = Failas per didelis ({ $size } MB, daugiausia { $max } MB). Padalykite sąrašą į mažesnius failus.
broadcast-import-too-wide = per daug stulpelių (daugiausia { $max }).
broadcast-import-unpacked-too-big = Išskleistas XLSX failas užimtų daugiau nei { $max } MB – gerokai daugiau, nei reikia žmonių sąrašui, todėl jis neatidarytas. Išsaugokite sąrašą iš naujo (arba kaip „CSV UTF-8“) ir atsiųskite.
broadcast-import-too-slow = Sąrašas buvo skaitomas ilgiau nei { $seconds } s, todėl skaitymas sustabdytas. Padalykite sąrašą į mažesnius failus arba atsiųskite jį kaip „CSV UTF-8“.
broadcast-import-too-much-memory = Sąrašui perskaityti prireikė daugiau nei { $max } MB atminties, todėl skaitymas sustabdytas. Padalykite sąrašą į mažesnius failus arba atsiųskite jį kaip „CSV UTF-8“.
broadcast-import-unreadable = Failo nepavyko perskaityti. Išsaugokite sąrašą iš naujo kaip XLSX arba „CSV UTF-8“ ir atsiųskite.
broadcast-export-too-many = Asmenines nuorodas turi daugiau nei { $max } žmonių – per daug failams pokalbyje. Serveryje paleiskite: <code>python -m bot participants export APLANKAS</code>
