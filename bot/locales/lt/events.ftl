# Organiser side: events list, creation, editing, links, RSVP lists.
org-events-title = <b>Artimiausi renginiai</b>
org-no-events = Artimiausių renginių nėra. Sukurkite renginį komanda /newevent.
org-counts = ✅ { $yes } · 🤔 { $maybe } · ❌ { $no } · ⏳ { $waitlist } · pakviesta: { $invited } · vietų: { $capacity }
org-unknown-organisation = (organizacija nenurodyta)
org-rsvp-group = <b>{ $organisation }</b>: „taip“ – { $yes } iš { $total }
org-rsvp-none = Dar niekas neatsakė.
org-pick-event = Kuris renginys?
org-link =
    Kvietimas į renginį <b>{ $title }</b>:
    { $link }
    Pasidalykite nuoroda arba atsispausdinkite QR kodą.
btn-link = 🔗 Nuoroda
btn-rsvps = 📋 Atsakymai
btn-edit = ✏️ Keisti
btn-save = 💾 Išsaugoti
btn-save-notify = 💾 Išsaugoti ir pranešti
btn-discard = ✖ Atmesti
btn-cancel-event = ❌ Atšaukti renginį
btn-cancel-event-confirm = Taip, atšaukti ir pranešti

new-intro = Sukurkime renginį. Bet kada galite sustoti komanda /cancel.
new-ask-title = Renginio pavadinimas?
new-ask-programme = Kokiai programai ar projektui jis priklauso? Pasirinkite žemiau arba įrašykite naują pavadinimą.
new-ask-starts = Kada prasideda? Įrašykite datą ir laiką ({ $zone }), pvz., <code>2027-03-09 10:00</code>.
new-ask-ends = Kada baigiasi? Įrašykite laiką, pvz., <code>16:00</code>, arba datą ir laiką.
new-ask-place = Kur? Įrašykite adresą, pvz., <code>L. Petravičiaus a. 2, Naujoji Akmenė</code>, arba nuotolinio prisijungimo nuorodą, prasidedančią https://.
new-ask-hall = Salė ar kabinetas ir aukštas, atskirti kableliu, pvz., <code>Didžioji salė, II aukštas</code>.
new-ask-capacity = Kiek vietų? Įrašykite skaičių.
new-ask-deadline = Iki kada atsakyti? Įrašykite datą ir laiką, pvz., <code>2027-03-05 18:00</code>.
new-ask-agenda =
    Darbotvarkė, po vieną punktą eilutėje: laikas, pavadinimas, o po brūkšnio – lektorius, pvz.
    <code>10:00 Įvadas — J. Jonaitė</code>
new-ask-description = Trumpas aprašymas dalyviams?
new-preview = <b>Peržiūra.</b> Patikrinkite renginį ir išsaugokite:
new-saved = Renginys #{ $id } <b>{ $title }</b> išsaugotas. Jo kvietimo nuoroda:
edit-choose = Ką norite keisti renginyje #{ $id } <b>{ $title }</b>?
edit-ask-title = Naujas pavadinimas?
edit-ask-time = Nauja data ir laikas ({ $zone }), pvz., <code>2027-03-09 10:00-16:00</code>.
edit-ask-place = Naujas adresas arba nuotolinio prisijungimo nuoroda, prasidedanti https://?
edit-ask-hall = Salė ar kabinetas ir aukštas, atskirti kableliu?
edit-ask-capacity = Naujas vietų skaičius?
edit-ask-deadline = Naujas atsakymų terminas, pvz., <code>2027-03-05 18:00</code>?
edit-ask-agenda = Visa nauja darbotvarkė, po vieną punktą eilutėje: <code>10:00 Pavadinimas — Lektorius</code>
edit-ask-description = Naujas aprašymas?
edit-saved = Renginys #{ $id } išsaugotas. { $notified ->
        [one] Apie pakeitimą bus pranešta { $notified } dalyviui.
        [few] Apie pakeitimą bus pranešta { $notified } dalyviams.
       *[other] Apie pakeitimą bus pranešta { $notified } dalyvių.
    }
edit-use-buttons = Išsaugokite arba atmeskite pakeitimą mygtukais aukščiau.
error-nothing-to-save = Nebėra ko išsaugoti. Pradėkite iš naujo: /newevent arba /editevent.
field-title = Pavadinimas
field-time = Data ir laikas
field-place = Vieta ar nuoroda
field-hall = Salė ir aukštas
field-capacity = Vietų skaičius
field-deadline = Atsakymų terminas
field-agenda = Darbotvarkė
field-description = Aprašymas
cancel-event-confirm = Atšaukti renginį <b>{ $title }</b>? { $people ->
        [one] Bus pranešta { $people } dalyviui, kuris atsakė „taip“ ar „galbūt“ arba laukia vietos.
        [few] Bus pranešta { $people } dalyviams, kurie atsakė „taip“ ar „galbūt“ arba laukia vietos.
       *[other] Bus pranešta { $people } dalyvių, kurie atsakė „taip“ ar „galbūt“ arba laukia vietos.
    }
cancel-event-done = Renginys <b>{ $title }</b> atšauktas. { $notified ->
        [one] Bus pranešta { $notified } dalyviui.
        [few] Bus pranešta { $notified } dalyviams.
       *[other] Bus pranešta { $notified } dalyvių.
    }

error-datetime-format = Įrašykite datą ir laiką taip: <code>{ $example }</code>.
error-time-format = Įrašykite laiką taip: <code>{ $example }</code>.
error-time-range = Įrašykite datą ir laiką taip: <code>{ $example }</code>.
error-capacity = Įrašykite sveikąjį skaičių nuo 1 iki { $max }.
error-agenda-line = Darbotvarkės { $line } eilutė turi prasidėti laiku, pvz., <code>{ $example }</code>.
error-agenda-too-long = Darbotvarkėje gali būti ne daugiau kaip { $max } { $max ->
        [one] punktas
        [few] punktai
       *[other] punktų
    }.
error-place = Įrašykite adresą (iki 300 simbolių) arba nuorodą, prasidedančią https://.
error-url = Nuotolinio prisijungimo nuoroda turi prasidėti http:// arba https://.
error-title = Pavadinime turi būti nuo 1 iki { $max } { $max ->
        [one] simbolio
       *[other] simbolių
    }.
error-timezone = Nežinoma laiko juosta: { $zone }.
error-end-before-start = Pabaiga turi būti vėliau nei pradžia.
error-too-long = Renginys gali trukti ne ilgiau kaip 14 dienų.
error-in-past = Šis renginys jau būtų pasibaigęs. Patikrinkite datas.
error-deadline-after-start = Atsakymų terminas turi būti prieš renginio pradžią.
error-text-too-long = Tekstas per ilgas (daugiausia { $max } { $max ->
        [one] simbolis
        [few] simboliai
       *[other] simbolių
    }).
error-slug = Trumpajame pavadinime (slug) gali būti tik mažosios lotyniškos raidės, skaitmenys, - ir _ (iki 64 simbolių).
error-toml-syntax = Renginio failas nėra tinkamas TOML: { $detail }
error-toml-unknown = Renginio faile yra nežinomas laukas: { $field }
error-toml-field = Renginio faile trūksta lauko arba jis netinkamas: { $field }
error-encoding = Failas nėra UTF-8 koduotės tekstas.

## /rsvps puslapiai ir failas, organizatoriaus peržiūra (e-texts)
org-rsvp-page = Puslapis { $page } iš { $pages }
org-rsvp-btn-previous = ◀ { $page }
org-rsvp-btn-next = { $page } ▶
org-rsvp-btn-file = 📄 Visas sąrašas (CSV)
org-rsvp-col-organisation = Organizacija
org-rsvp-col-name = Vardas ir pavardė
org-rsvp-col-answer = Atsakymas
org-rsvp-file-caption = <b>{ $title }</b>: visas atsakymų sąrašas – { $count } { $count ->
        [one] asmuo
        [few] asmenys
        [many] asmens
       *[other] asmenų
    }.
preview-field = { $field }: { $value }
preview-field-programme = Programa
preview-field-zone = Laiko juosta
preview-online = Nuotoliniu būdu: { $url }
preview-capacity-unlimited = neribojamas
