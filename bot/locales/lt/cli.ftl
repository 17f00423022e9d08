# Komandinė eilutė (python -m bot ...). Ji rašo angliškai; tekstai yra visomis kalbomis,
# kad katalogai būtų pilni.

cli-event-slug-missing = Renginio faile nėra „slug“: įrašykite eilutę, pvz., slug = "{ $example }", kad pakartotinai importuojant failą būtų atnaujintas šis renginys, o ne sukurtas antras.
cli-event-changed = Pakeista: { $fields }; { $count ->
    [one] bus pranešta { $count } dalyviui.
    [few] bus pranešta { $count } dalyviams.
    [many] bus pranešta { $count } dalyvio.
   *[other] bus pranešta { $count } dalyvių.
}
cli-retention-due = Pasibaigė { $count ->
    [one] { $count } dalyvio
    [few] { $count } dalyvių
    [many] { $count } dalyvio
   *[other] { $count } dalyvių
} duomenų saugojimo laikotarpis ({ $months } mėn.).
cli-retention-done = Ištrinti { $count ->
    [one] { $count } dalyvio
    [few] { $count } dalyvių
    [many] { $count } dalyvio
   *[other] { $count } dalyvių
} asmens duomenys (saugojimo laikotarpis – { $months } mėn.).
cli-export-done = { $answers ->
    [one] { $answers } atsakymas
    [few] { $answers } atsakymai
    [many] { $answers } atsakymo
   *[other] { $answers } atsakymų
} iš { $events ->
    [one] { $events } renginio
    [few] { $events } renginių
    [many] { $events } renginio
   *[other] { $events } renginių
}
cli-privacy-ambiguous = „{ $query }“ atitinka { $count ->
    [one] { $count } asmuo
    [few] { $count } asmenys
    [many] { $count } asmens
   *[other] { $count } asmenų
}; nurodykite vieno iš jų ID:
cli-privacy-not-found = Niekas neatitinka „{ $query }“ (nurodykite ID, el. pašto adresą arba vardą ir pavardę).
cli-demo-participants = Dalyvių, kurie atidaro nuorodą, sutinka, užsiregistruoja ir atsako: { $count }.
cli-demo-no-answers = Niekas neatsakė „taip“, todėl anketos atsakymų, iš kurių būtų galima apskaičiuoti įvertinimus, nėra.
cli-demo-survey-out = Anketa atidaroma ir per siuntimo eilę išsiunčiama atsakiusiems „taip“ (dalyvių: { $count }); jie atsako po vieną klausimą...
