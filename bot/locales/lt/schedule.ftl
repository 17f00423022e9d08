# Tvarkaraščio sritis: dalyvių priminimai, /schedule organizatoriams.
cmd-schedule = Renginio priminimai ir anketos laikas

## Ką gauna dalyviai (virš renginio kortelės)
schedule-reminder-minutes = ⏰ <b>Primename:</b> renginys prasidės po { $count } { $count ->
        [one] minutės
        [few] minučių
        [many] minutės
       *[other] minučių
    }.
schedule-reminder-hours = ⏰ <b>Primename:</b> renginys prasidės po { $count } { $count ->
        [one] valandos
        [few] valandų
        [many] valandos
       *[other] valandų
    }.
schedule-reminder-days = ⏰ <b>Primename:</b> renginys prasidės po { $count } { $count ->
        [one] dienos
        [few] dienų
        [many] dienos
       *[other] dienų
    }.
schedule-deadline-header = ⏰ Dar neatsakėte į šį kvietimą. Atsakymų laukiame iki { $deadline } – tereikia vieno paspaudimo.
schedule-btn-directions = 🗺 Kaip atvykti

## /schedule
schedule-title = 🗓 <b>Renginio #{ $id } { $title } tvarkaraštis</b>
schedule-zone = Laikai nurodyti { $zone }.
schedule-offsets-default = Priminimai atsakiusiems „Taip“ arba „Galbūt“: { $offsets } iki pradžios (numatytieji).
schedule-offsets-custom = Priminimai atsakiusiems „Taip“ arba „Galbūt“: { $offsets } iki pradžios (nustatyta šiam renginiui).
schedule-event-cancelled = ❌ Renginys atšauktas: priminimai nebesiunčiami.
schedule-offset-hours = { $hours } val.
schedule-offset-minutes = { $minutes } min.
schedule-item-reminder = priminimas { $offset } iki pradžios
schedule-item-deadline = priminimas neatsakiusiems
schedule-item-survey-open = išsiunčiama anketa
schedule-item-survey-remind = priminimas apie anketą
schedule-item-survey-close = anketa uždaroma
schedule-earlier-time = (ankstesniam laikui)
schedule-state-sent = išsiųsta { $count } { $count ->
        [one] asmeniui
        [few] asmenims
        [many] asmens
       *[other] asmenų
    }
schedule-state-done = atlikta
schedule-state-due = vykdoma dabar
schedule-state-planned-late = praleista: kai suplanavome, laikas jau buvo praėjęs
schedule-state-too-late = praleista: po pertraukos jau per vėlu
schedule-state-superseded = praleista: jį pakeitė vėlesnis pranešimas
schedule-state-not-opened = praleista: anketa nebuvo išsiųsta
schedule-pick-event = Kurio renginio tvarkaraštį norite matyti?
schedule-no-events = Artimiausių renginių nėra. Sukurkite renginį komanda /newevent.
schedule-btn-change = ⏰ Keisti priminimų laiką
schedule-choose-offsets = Kada priminti atsakiusiems „Taip“ arba „Galbūt“ apie renginį <b>{ $title }</b>?
schedule-btn-default = Numatytasis: { $offsets }
schedule-btn-none = be priminimų
schedule-btn-other = ✏️ Kitas laikas
schedule-ask-offsets = Įrašykite, kiek valandų iki pradžios siųsti priminimus, atskirdami kableliais, pvz., <code>48, 2</code> (pusvalandis – <code>0.5</code>; daugiausia { $max } { $max ->
        [one] kartas
        [few] kartai
       *[other] kartų
    }, ne anksčiau kaip { $days } d. iki pradžios). <code>0</code> išjungia priminimus. /cancel – nutraukti.
schedule-offsets-invalid = Įrašykite valandas iki pradžios, atskirtas kableliais, pvz., <code>48, 2</code> (daugiausia { $max } { $max ->
        [one] kartas
        [few] kartai
       *[other] kartų
    }, ne anksčiau kaip { $days } d. iki pradžios), arba <code>0</code>, jei priminimų nereikia.
schedule-offsets-saved = Priminimų laikas išsaugotas.
