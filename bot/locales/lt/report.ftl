# Ataskaita finansuotojui (bot/reports.py): raktai, pridėti dėl anonimiškumo, NPS ir renginių lentelės.
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
