## Dalyvavimo pažymėjimas (PDF; paprastas tekstas, be HTML; bot/certificates.py)
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
