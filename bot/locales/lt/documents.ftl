# Dokumentai: pažymėjimai, ataskaita finansuotojui, dalyvių sąrašas pasirašyti ir skaičiuoklės (bot/documents/).

## Dalyvavimo pažymėjimas (PDF; paprastas tekstas, be HTML; bot/documents/certificates.py)
cert-title = DALYVAVIMO PAŽYMĖJIMAS
cert-certifies = Pažymima, kad
cert-attended = dalyvavo mokymuose
cert-event-title = „{ $title }“
cert-detail = { $label }: { $value }
cert-label-programme = Programa
cert-label-date = Data
cert-label-place = Vieta
cert-label-duration = Trukmė
cert-label-organiser = Organizatorius
cert-online = nuotoliniu būdu
cert-hours = { $count ->
       *[other] { $hours } val.
    }
cert-academic-hours = { $count ->
       *[other] { $hours } akad. val.
    }
cert-issued = Išduota { $date }
cert-reg-number = Reg. Nr. { $number }
cert-code = Patikros kodas: { $code }
cert-verify-hint = Pažymėjimo tikrumą patikrinsite nuskenavę QR kodą arba atidarę

## Pažymėjimo patikra ir organizatoriaus pranešimai (pokalbyje, HTML)
cert-verify-ok =
    ✅ <b>Tikras pažymėjimas</b> { $code } (reg. Nr. { $number })
    { $name }, { $organisation }
    dalyvavo mokymuose „{ $title }“, { $date } ({ $hours }).
    Išdavė { $organiser }, { $issued }.
cert-unrenderable = ⚠️ Pažymėjime { $number } ({ $name }, „{ $title }“) nepavyko išspausdinti šių raidžių: { $letters }. Pažymėjimas išsiųstas, bet jų vietoje liko tarpai. Nurodykite šriftą, kuriame jos yra, nustatyme <code>[documents] fallback_fonts</code> – tada dalyvis gaus teisingą pažymėjimą komanda /certificate.

## Pažymėjimo nustatymai (/attendance → ⚙️)
cert-settings-language = 📄 Pažymėjimo kalba: { $language ->
        [lt] lietuvių
        [en] anglų
       *[uk] ukrainiečių
    }{ $second ->
        [lt] { " + lietuvių" }
        [en] { " + anglų" }
       *[none] { "" }
    }
cert-settings-hours = ⏱ Trukmė pažymėjime: { $hours }{ $declared ->
        [yes] { "" }
       *[no] { " (pagal renginio laiką)" }
    }
cert-btn-lang-lt = Lietuvių
cert-btn-lang-en = Anglų
cert-btn-lang-uk = Ukrainiečių
cert-btn-lang-default = Numatytoji kalba
cert-btn-bilingual-on = + anglų kalba: įjungti
cert-btn-bilingual-off = + anglų kalba: išjungti
cert-btn-unit-hours = Valandos (60 min.)
cert-btn-unit-academic = Akad. valandos (45 min.)
cert-btn-precision = { $digits ->
        [0] Sveikais skaičiais
        [1] 1 skaitmuo po kablelio
       *[other] { $digits } skaitmenys po kablelio
    }
cert-btn-hours = ✏️ Įrašyti valandų skaičių
cert-ask-hours = Kiek valandų įrašyti pažymėjime? Parašykite skaičių, pvz., 6 arba 7,5 (vienetai – pasirinktieji: valandos arba akademinės valandos). Parašę 0, grįšite prie trukmės pagal renginio laiką.
cert-hours-invalid = Tai ne valandų skaičius (nuo 0 iki { $max }). Parašykite, pvz., 6 arba 7,5.

## Ataskaita finansuotojui (PDF ir XLSX; paprastas tekstas)
report-title = Ataskaita finansuotojui
report-programme = Programa: { $programme }
report-organiser = Organizatorius: { $organiser }
report-prepared = Parengta { $date }
report-page = Puslapis { $page } iš { $pages }
report-section-events = Renginiai
report-section-institutions = Institucijos
report-section-survey = Anketa
report-section-comments = Komentarai
report-sheet-summary = Santrauka
report-sheet-scores = Įvertinimai
report-total = Iš viso
report-none = Nėra.
report-no-organisation = (organizacija nenurodyta)
report-other-organisations = Kitos organizacijos (mažos grupės kartu)
report-responses = Anketą užpildė { $completed } iš { $eligible } ją gavusių ({ $rate }).
report-overall = Bendras įvertinimas: { $score } iš 5 ({ $count } { $count ->
        [one] vertinimo klausimo
        [few] vertinimo klausimų
        [many] vertinimo klausimo
       *[other] vertinimo klausimų
    } vidurkis).
report-no-answers = Atsakymų dar nėra.
report-by-organisation = Įvertinimas pagal organizacijas
report-col-date = Data
report-col-event = Renginys
report-col-place = Vieta
report-col-invited = Pakviesta
report-col-yes = Atsakė „taip“
report-col-present = Dalyvavo
report-col-walkin = Dalyvavo be „taip“
report-col-organisation = Organizacija
report-col-question = Klausimas
report-col-n = n
report-col-mean = Vidurkis
report-col-median = Mediana
report-col-respondents = Atsakiusieji
report-col-programme = Programa
report-col-organiser = Organizatorius
report-col-events = Renginiai
report-col-asked = Gavo anketą
report-col-completed = Užpildė
report-col-overall = Bendras įvertinimas (1–5)
report-col-comment = Komentaras

# Ataskaita finansuotojui (bot/documents/report.py): raktai, pridėti dėl anonimiškumo, NPS ir renginių lentelės.
report-col-time = Laikas
report-col-hours = Val.
report-col-rated-top = Įvertino 4–5
report-col-promoters = Šalininkai (9–10)
report-col-passives = Neutralūs (7–8)
report-col-detractors = Kritikai (0–6)
report-col-nps = NPS
report-col-unfinished = Pradėjo, bet nebaigė
report-scale = { $low } = { $low_label } … { $high } = { $high_label }
report-ratings = Vertinimai (skalė 1–5)
report-chart = Atsakymų pasiskirstymas (1–5)
report-section-nps = Rekomendavimo indeksas (NPS, skalė 0–10)
report-nps-how = NPS = šalininkų (9–10) dalis, atėmus kritikų (0–6) dalį; nuo −100 iki +100.
report-n-note = { $unfinished ->
    [0] n – kiek asmenų atsakė į klausimą. Jis gali būti mažesnis už užpildytų anketų skaičių, nes neprivalomus klausimus galima praleisti.
   *[other] n – kiek asmenų atsakė į klausimą. Jis gali būti mažesnis už užpildytų anketų skaičių, nes neprivalomus klausimus galima praleisti, ir apima atsakymus iš { $unfinished } { $unfinished ->
        [one] pradėtos, bet nebaigtos anketos
       *[other] pradėtų, bet nebaigtų anketų
    }.
}
report-privacy-note = Rezultatai nuasmeninti, kaip dalyviams pažadėta, kai jie davė sutikimą: prie įvertinimų ir komentarų vardai nenurodomi, o organizacijos, kuriose atsakiusiųjų mažiau nei { $min }, atskirai nerodomos.
report-merged-note = Organizacijos, kuriose atsakiusiųjų mažiau nei { $min }, parodytos kartu eilutėje „Kitos organizacijos“ (joje { $count } { $count ->
    [one] organizacija
    [few] organizacijos
   *[other] organizacijų
}).
report-suppressed-note = { $count } { $count ->
    [one] atsakiusiojo
   *[other] atsakiusiųjų
} iš organizacijų, kuriose atsakiusiųjų mažiau nei { $min }, atsakymai pagal organizacijas nerodomi: net visų kartu jų mažiau nei { $min }. Šie atsakymai įskaičiuoti į bendrus rezultatus.
report-sheet-nps = NPS
report-sheet-organisations = Pagal organizacijas
report-comments-anonymous = Komentarai pateikiami taip, kaip parašyti, be vardų ir organizacijų.
report-topped-up-note = Kartu jose vis tiek buvo per mažai atsakiusiųjų (mažiau nei { $min }), todėl su jomis įskaičiuota ir mažiausia iš kitaip atskirai rodomų organizacijų: iš bendrų rezultatų negalima apskaičiuoti jokios grupės atsakymų.

# Dalyvių sąrašas pasirašyti (bot/documents/signin.py): spausdinamas PDF (paprastas tekstas) ir jo mygtukas.
attendance-btn-signin = 🖨 Dalyvių sąrašas
signin-title = Renginio dalyvių sąrašas
signin-programme = Programa: { $programme }
signin-when = Data ir laikas: { $when }
signin-place = Vieta: { $place }
signin-organiser = Organizatorius: { $organiser }
signin-col-number = Eil. Nr.
signin-col-name = Vardas, pavardė
signin-col-organisation = Organizacija
signin-col-signature = Parašas
signin-certified = Sąrašą patikrino: ____________________________ (vardas, pavardė, parašas)
signin-private-only = Dalyvių sąrašas siunčiamas tik privačiame pokalbyje su botu.

# Skaičiuoklės (CSV ir XLSX eksportas): kodų pavadinimai ir stulpelių antraštės (bot/documents/sheets.py).

sheets-kind-rating = Vertinimas (1–5)
sheets-kind-nps = Rekomendavimo tikimybė (0–10)
sheets-kind-single = Vienas pasirinkimas
sheets-kind-multi = Keli pasirinkimai
sheets-kind-text = Laisvas atsakymas
sheets-col-answered-at = Atsakyta (renginio vietos laiku)
sheets-col-questionnaire = Anketa
sheets-col-starts = Pradžia
sheets-col-ends = Pabaiga
sheets-col-item = Rodiklis
sheets-col-value = Reikšmė
sheets-yes = taip
sheets-no = ne
sheets-links-sheet = Asmeninės nuorodos
sheets-links-col-name = Vardas ir pavardė
sheets-links-col-email = El. paštas
sheets-links-col-organisation = Organizacija
sheets-links-col-role = Pareigos
sheets-links-col-category = Kategorija
sheets-links-col-link = Asmeninė nuoroda
sheets-links-col-qr-file = QR kodo failas
sheets-links-col-opened = Nuoroda atidaryta
sheets-links-col-qr = QR kodas
