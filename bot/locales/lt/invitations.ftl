# Kvietimai: /postcard kortelės grupėse ir kanaluose, asmeninės kvietimo nuorodos (ir kieno
# jos), dalyvių sąrašo importas ir eksportas.
cmd-postcard = Paskelbti kvietimo kortelę grupėje ar kanale

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

# Tapatybės: asmeninės nuorodos, atidarytos jau užsiregistravusio žmogaus ar iš kitos
# paskyros, ir mygtukai „Išsaugoti“, priklausantys kito renginio juodraščiui.
identity-link-confirm = Šis kvietimas skirtas asmeniui: <b>{ $hint }</b>. Ar tai Jūs?
identity-btn-its-me = ✅ Taip, tai aš
identity-btn-not-me = ❌ Ne
identity-link-not-mine = Nieko nepakeista. Jei ši nuoroda Jus pasiekė per klaidą, tiesiog nekreipkite į ją dėmesio.
identity-link-confirmed = Ačiū. Kvietimas dabar Jūsų.
identity-link-refused-notice = ⚠️ Asmeninė kvietimo nuoroda (vardas sąraše: <b>{ $name }</b>) buvo atidaryta iš kitos „Telegram“ paskyros ir atmesta: ji lieka paskyrai, kuri ją atidarė pirmoji. Jei šis žmogus pakeitė paskyrą, paprašykite, kad su Jumis susisiektų.
edit-save-other-event = Šis mygtukas „Išsaugoti“ priklauso ankstesnei peržiūrai (renginys #{ $pressed }), o dabar redaguojamas juodraštis skirtas { $current ->
        [0] naujam renginiui
       *[other] renginiui #{ $current }
    }. Nieko neišsaugota. Naudokite mygtukus po naujausia peržiūra.
