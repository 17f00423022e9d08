# Privatumas: asmens duomenys failu ir jų ištrynimas (/mydata, /forget).
cmd-mydata = Atsisiųsti visus duomenis, kuriuos botas saugo apie Jus
cmd-forget = Ištrinti Jūsų asmens duomenis

privacy-export-caption = Visi duomenys, kuriuos { $organisation } šiame bote saugo apie Jus (JSON failas). Jei norite juos ištrinti, siųskite /forget.
privacy-forget-confirm =
    <b>Ištrinti Jūsų asmens duomenis?</b>
    Bus ištrinti Jūsų vardas ir pavardė, organizacija, el. pašto adresas ir ryšys su Jūsų „Telegram“ paskyra, pašalinti Jūsų atsakymai į būsimus renginius ir Jums nebebus siunčiama jokių žinučių. Anoniminiai anketų atsakymai ir praėjusių renginių dalyvių skaičiai lieka, tačiau pagal juos Jūsų nustatyti nebus galima.
    Šio veiksmo atšaukti negalima.
privacy-btn-forget = 🗑 Taip, ištrinti mano duomenis
privacy-btn-keep = Palikti duomenis
privacy-forgotten = Jūsų asmens duomenys ištrinti ir šis botas Jums nebesiųs žinučių. Jei vėl atidarysite kvietimą, sutikimo paprašysime iš naujo, kaip ir naujo dalyvio.
privacy-forget-kept = Niekas neištrinta.
privacy-nothing-held = Apie Jus jokių asmens duomenų nesaugome, tad nėra ko siųsti ar ištrinti.
