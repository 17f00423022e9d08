# Anketos: anketa po mokymų (dalyviams), rezultatai ir eksportas (organizatoriams).
cmd-scores = Anketų rezultatai: renginio, programos, palyginimas
cmd-export = Rezultatai ir atsakymai XLSX ir CSV formatu
cmd-survey = Anketa: atidaryti, uždaryti, šablonas, anonimiškumas

## Dalyviai atsako po vieną klausimą
survey-invite = 📝 <b>Kaip vertinate mokymus „{ $title }“?</b>
survey-reminder = 📝 <b>Primename: laukiame Jūsų nuomonės apie „{ $title }“</b>
survey-invite-details = Atsakykite į { $count ->
    [one] { $count } trumpą klausimą
    [few] { $count } trumpus klausimus
   *[other] { $count } trumpų klausimų
}, po vieną. Galite sustoti ir tęsti vėliau, o atsakymus keisti iki { $closes }.
survey-anonymous-note = 🔒 Anketa anoniminė: organizatoriai mato tik suvestinius rezultatus ir komentarus be vardų.
survey-named-note = Organizatoriai matys Jūsų atsakymus kartu su Jūsų vardu.
survey-btn-start = 📝 Pildyti anketą
survey-btn-continue = 📝 Atsakyti dabar
survey-header = 📝 { $title } · <b>{ $current }/{ $total }</b>
survey-optional = <i>(neprivaloma)</i>
survey-scale = { $low } – { $low_label }, { $high } – { $high_label }
survey-multi-hint = Pažymėkite visus tinkamus atsakymus ir spauskite „Toliau“.
survey-text-hint = Parašykite atsakymą ir išsiųskite jį žinute.
survey-your-answer = Jūsų atsakymas: <b>{ $answer }</b>
survey-skipped = praleista
survey-btn-back = ◀ Atgal
survey-btn-skip = Praleisti ▶
survey-btn-next = Toliau ▶
survey-done = ✅ <b>Dėkojame!</b> Jūsų atsakymai apie „{ $title }“ išsaugoti.
survey-done-change = Juos galite pakeisti iki { $closes }.
survey-btn-change = ✏️ Keisti atsakymus
survey-required = Į šį klausimą būtina atsakyti.
survey-required-left = ⚠️ Šis klausimas privalomas: atsakykite į jį, kad užbaigtumėte anketą.
survey-choose-one = Pasirinkite bent vieną atsakymą.
survey-text-too-long = Atsakymas per ilgas: ne daugiau kaip { $max } simbolių.
survey-unknown = Ši anketa nepasiekiama.
survey-not-open = Ši anketa dar neatidaryta.
survey-closed = Ši anketa jau uždaryta. Dėkojame!
survey-not-for-you = Ši anketa skirta mokymų dalyviams.

## Organizatoriai: rezultatai
scores-title-event = 📊 <b>Rezultatai: #{ $id } { $title }</b>
scores-title-programme = 📚 <b>Programa: { $title }</b> — { $events ->
    [one] { $events } renginys
    [few] { $events } renginiai
   *[other] { $events } renginių
}
survey-state-draft = Anketa: dar neatidaryta.
survey-state-open = Anketa: atvira iki { $closes }.
survey-state-closed = Anketa: uždaryta.
scores-responses = Atsakymai: užpildė <b>{ $completed }</b>, nebaigė { $unfinished }.
scores-rates = Atsakė: { $of_invited } pakviestųjų ({ $invited }) · { $of_yes } patvirtinusiųjų dalyvavimą ({ $eligible })
scores-overall = ⭐ Bendras įvertinimas: <b>{ $score }</b> iš 5
scores-overall-how = Tai { $count ->
    [one] { $count } vertinimo klausimo
   *[other] { $count } vertinimo klausimų
} (1–5) vidurkių vidurkis; kiekvienas klausimas sveria vienodai.
scores-overall-none = ⭐ Bendras įvertinimas: — (vertinimų dar nėra)
scores-anonymous = 🔒 Anoniminė anketa: vardai nerodomi; organizacijos, kurių atsakė mažiau nei { $min }, sujungiamos.
scores-question = <b>{ $number }. { $label }</b>
scores-stats = n { $n } · vidurkis <b>{ $mean }</b> · mediana { $median } · SN { $sd } · 4–5: { $top2 }
scores-stats-nps = n { $n } · vidurkis <b>{ $mean }</b> · mediana { $median } · SN { $sd } · NPS { $nps }
scores-skipped = praleido { $count }
scores-no-answers = Atsakymų dar nėra.
scores-choices = n { $n }
scores-option = { $option }: <code>{ $bar }</code> { $count } ({ $share })
scores-comments = — { $count ->
    [one] { $count } komentaras
    [few] { $count } komentarai
   *[other] { $count } komentarų
}
scores-comment = 💬 { $text }
scores-comment-named = 💬 { $text } — <i>{ $name }</i>
scores-comments-more = …ir dar { $count } – eksporto faile (/export).
scores-by-org = <b>Pagal organizacijas</b> (bendras įvertinimas, atsakiusiųjų skaičius)
scores-org-line = { $organisation }: <b>{ $score }</b> ({ $respondents })
scores-org-other = Kitos organizacijos (mažos grupės kartu)
scores-org-unknown = (organizacija nenurodyta)
scores-org-hidden = Nerodoma: { $count ->
    [one] { $count } atsakiusysis
    [few] { $count } atsakiusieji
   *[other] { $count } atsakiusiųjų
} iš grupių, mažesnių nei { $min }.
scores-compare-title = ⚖ <b>Palyginimas</b>: { $count ->
    [one] { $count } renginys
    [few] { $count } renginiai
   *[other] { $count } renginių
}
scores-compare-event = <b>#{ $id }</b> { $title } ({ $date }): užpildė { $completed }, bendras įvertinimas <b>{ $score }</b>
scores-compare-question = <b>{ $label }</b>
scores-compare-cell = <code>#{ $id } { $bar }</code> { $mean } (n { $n })
scores-pick = Kurių renginių rezultatus parodyti? Pasirinkite renginį arba programą:
scores-nothing = Anketų dar nėra. Anketa atidaroma pasibaigus renginiui arba komanda /survey open.
scores-usage = Naudokite: <code>/scores 12</code> (renginys), <code>/scores p3</code> (programa), <code>/scores 12 15 18</code> (renginių palyginimas).
scores-too-many = Palyginti galima ne daugiau kaip { $max } renginių.
scores-no-programme = Tokios programos nėra arba joje nėra renginių.
scores-btn-export = 📥 Eksportuoti XLSX/CSV
scores-btn-programme = 📚 Visa programa
scores-btn-compare = ⚖ Palyginti renginius
scores-chart-subtitle = Užpildė: { $completed } · bendras įvertinimas { $score } iš 5
scores-chart-caption = 📊 { $title }
scores-export-usage = Naudokite: <code>/export 12</code> (renginys) arba <code>/export p3</code> (programa).
scores-export-caption = 📥 <b>{ $title }</b>: { $rows ->
    [one] { $rows } atsakymas
    [few] { $rows } atsakymai
   *[other] { $rows } atsakymų
}. Faile – suvestinė, atsakiusiųjų dalis ir po eilutę kiekvienam atsakymui.

## Organizatoriai: renginio anketa
survey-usage =
    <b>Renginio anketa</b>
    <code>/survey status 12</code> – būsena, šablonas, atsakymai
    <code>/survey open 12</code> – atidaryti dabar ir išsiųsti patvirtinusiems dalyvavimą
    <code>/survey close 12</code> – uždaryti; vėlesni atsakymai nebepriimami
    <code>/survey template 12 extended</code> – pasirinkti klausimus (kol anketa dar neišsiųsta)
    <code>/survey anonymous 12 on</code> – įjungti arba išjungti anonimiškumą (kol anketa dar neišsiųsta)
    Šablonai: { $templates }
    Jei nenurodysite renginio numerio, parodysiu renginių sąrašą.
survey-org-opened = 📝 Renginio <b>{ $title }</b> anketa atvira iki { $closes }. { $sent ->
    [0] Naujų gavėjų nėra.
    [one] Išsiųsta { $sent } dalyviui.
    [few] Išsiųsta { $sent } dalyviams.
   *[other] Išsiųsta { $sent } dalyvių.
}
survey-org-already-closed = Renginio <b>{ $title }</b> anketa uždaryta; iš naujo jos atidaryti negalima.
survey-org-closed = 🔒 Renginio <b>{ $title }</b> anketa uždaryta. { $completed ->
    [one] Užpildyta { $completed } anketa.
    [few] Užpildytos { $completed } anketos.
   *[other] Užpildyta { $completed } anketų.
}
survey-org-status =
    <b>#{ $id } { $title }</b>
    { $state }
    Šablonas: <b>{ $template }</b>, klausimų: { $questions } · { $mode }
    Kviečiami atsakyti: { $recipients } · pradėjo: { $started } · užpildė: { $completed }
survey-mode-anonymous = 🔒 anoniminė
survey-mode-named = 👤 su vardais
survey-btn-open = 📝 Atidaryti dabar
survey-btn-close = 🔒 Uždaryti
survey-btn-template = 🧩 Šablonas
survey-org-pick-template = Kokius klausimus užduoti renginio <b>{ $title }</b> dalyviams?
survey-org-unknown-template = Tokio šablono nėra. Galimi: { $templates }
survey-org-locked = To pakeisti nebegalima: anketa jau išsiųsta.
survey-org-template-set = Renginio <b>{ $title }</b> anketa: šablonas <b>{ $template }</b> (klausimų: { $questions }; { $mode }).
survey-org-pick-mode = Ar organizatoriai turi matyti, kas ką atsakė?
survey-org-mode-set = Renginio <b>{ $title }</b> anketa: { $mode }.

## Eksporto stulpeliai ir lapai
scores-export-col-event-id = Renginio ID
scores-export-col-event = Renginys
scores-export-col-date = Data
scores-export-col-response = Anketa
scores-export-col-participant = Dalyvis
scores-export-col-organisation = Organizacija
scores-export-col-question-id = Klausimo ID
scores-export-col-question = Klausimas
scores-export-col-kind = Tipas
scores-export-col-value = Reikšmė
scores-export-col-answer = Atsakymas
scores-export-col-answered-at = Atsakyta (UTC)
scores-export-col-n = n
scores-export-col-skipped = Praleido
scores-export-col-mean = Vidurkis
scores-export-col-median = Mediana
scores-export-col-sd = Standartinis nuokrypis
scores-export-col-top2 = Įvertino 4–5 (%)
scores-export-col-nps = NPS
scores-export-col-distribution = Pasiskirstymas
scores-export-col-invited = Pakviesta
scores-export-col-eligible = Patvirtino dalyvavimą
scores-export-col-completed = Užpildė
scores-export-col-unfinished = Nebaigė
scores-export-col-rate-invited = Dalis nuo pakviestųjų
scores-export-col-rate-eligible = Dalis nuo patvirtinusiųjų
scores-export-col-overall = Bendras įvertinimas
scores-export-overall = Bendras įvertinimas (vertinimo klausimų vidurkių vidurkis)
scores-export-sheet-summary = Suvestinė
scores-export-sheet-responses = Atsakiusieji
scores-export-sheet-answers = Atsakymai
