# Shared texts: errors, help, language, command menu.
language-name = 🇱🇹 Lietuvių
language-choose = Pasirinkite kalbą:
language-set = Gerai: rašysiu Jums lietuviškai.

cmd-my = Mano renginiai ir atsakymai
cmd-language = Keisti kalbą
cmd-help = Ką gali šis botas
cmd-events = Artimiausi renginiai ir atsakymų skaičiai
cmd-newevent = Sukurti renginį žingsnis po žingsnio
cmd-editevent = Keisti renginį ir pranešti dalyviams
cmd-rsvps = Atsakymai į renginį pagal organizacijas
cmd-invite = Kvietimo nuoroda ir QR kodas
cmd-cancel = Nutraukti dabartinį veiksmą

help-participant =
    <b>Kvietimas</b> siunčia Jums kvietimus į mokymus, išsaugo Jūsų atsakymą ir primena apie renginį.
    Atidarykite kvietimo nuorodą arba nuskenuokite QR kodą – pamatysite renginį ir galėsite atsakyti mygtukais.

    /my – Jūsų renginiai ir atsakymai
    /certificate – Jūsų dalyvavimo pažymėjimai
    /mydata – visi apie Jus saugomi duomenys (failas)
    /forget – ištrinti Jūsų asmens duomenis
    /language – keisti kalbą
    /cancel – nutraukti dabartinį veiksmą
    /help – ši pagalba
help-organiser =
    <b>Organizatoriams</b>
    /events – artimiausi renginiai su atsakymų „taip“ / „galbūt“ / „ne“ skaičiais
    /newevent – sukurti renginį žingsnis po žingsnio (prieš išsaugant – peržiūra)
    /editevent – keisti laiką, vietą ar darbotvarkę; atsakiusiems „taip“ ar „galbūt“ bus pranešta
    /rsvps – atsakymai pagal organizacijas
    /invite – kvietimo nuoroda ir QR kodas
    /broadcast – siųsti kvietimą, naujieną ar priminimą žmonių grupei (su peržiūra)
    /personal – asmeninės kvietimo nuorodos importuotam sąrašui
    /postcard – paskelbti kvietimo kortelę grupėje ar kanale
    /schedule – renginio priminimai ir anketos siuntimo laikas
    /attendance – pažymėti dalyvavusius; /checkin – atvykimo žymėjimo QR kodas
    /survey – atidaryti, uždaryti ar nustatyti anketą
    /scores – anketos rezultatai; /export – CSV ir XLSX
    /report – ataskaita finansuotojui (PDF ir XLSX)
    /cancel – nutraukti dabartinį veiksmą

error-generic = Atsiprašome, įvyko klaida mūsų pusėje. Pabandykite dar kartą po minutės.
error-organiser-notice = ⚠️ Bote įvyko klaida ({ $kind }: { $detail }). Naudotojui parodytas atsiprašymas; išsami informacija – žurnale.
error-not-organiser = Tai skirta tik organizatoriams.
error-stale-button = Šis mygtukas nebegalioja. Jūsų renginiai – /my.
error-bad-link = Ši kvietimo nuoroda negalioja arba nebeaktuali. Paprašykite organizatoriaus naujos.
error-unknown-command = Tokios komandos nežinau. Visos komandos – /help.
error-event-gone = Šis renginys nebepasiekiamas.
error-event-not-found = Tokio renginio nėra (galbūt jis atšauktas).
free-text-hint = Daugiausia dirbu su mygtukais. Jūsų renginiai – /my, pagalba – /help.
cancelled = Atšaukta. Niekas neišsaugota.
nothing-to-cancel = Nėra ko atšaukti.

btn-skip = Praleisti ⏭
btn-cancel = Atšaukti ✖
btn-back = ◀ Atgal

# /cancel ir /language dalyviams (e-texts)
language-set-not-kept = Šią kalbą įsiminsiu, kai sutiksite su duomenų tvarkymu (atidarykite kvietimo nuorodą). Iki tol rašysiu ta kalba, kurią nustatėte „Telegram“ programėlėje.
cancel-participant-nothing = Šiuo metu nieko nepildote, tad nėra ko nutraukti. Jūsų renginiai – /my.
cancel-participant-registration = Registraciją sustabdėme. Norėdami ją užbaigti, dar kartą atidarykite kvietimo nuorodą.
cancel-participant-survey = Gerai, rašytinio atsakymo nebelaukiu. Anketą galite tęsti mygtukais po klausimu.
cancel-participant-step = Sustabdyta. Jūsų renginiai – /my.
zone-vilnius = Vilniaus laiku
zone-other = pagal laiko juostą { $zone }

# Prieigos taisyklės (bot/access.py, docs/privacy.md): organizatoriaus ekranai tik privačiame
# pokalbyje, nuotolinio susitikimo nuoroda tik atsakiusiems „Taip“.
access-private-chat-only = Tai atlikite privačiame pokalbyje su manimi: organizatoriaus ekranuose matyti asmenų duomenys, todėl grupėse jų nerodau.
access-card-online = 💻 Nuotoliniu būdu (atsakius „Taip“, mygtukas „Prisijungti prie susitikimo“ nuorodą duos prieš pat pradžią)
access-join-not-yes = Susitikimo nuoroda skirta atsakiusiems „Taip“. Pirmiausia atsakykite renginio kortelėje.
access-join-early = Renginio <b>{ $title }</b> susitikimas prasidės { $opens }. Nuo to laiko renginio kortelėje paspauskite „Prisijungti prie susitikimo“ – tada gausite nuorodą.
