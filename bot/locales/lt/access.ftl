# Prieigos taisyklės (bot/access.py, docs/privacy.md): organizatoriaus ekranai tik privačiame
# pokalbyje, nuotolinio susitikimo nuoroda tik atsakiusiems „Taip“.
access-private-chat-only = Tai atlikite privačiame pokalbyje su manimi: organizatoriaus ekranuose matyti asmenų duomenys, todėl grupėse jų nerodau.
access-card-online = 💻 Nuotoliniu būdu (atsakius „Taip“, mygtukas „Prisijungti prie susitikimo“ nuorodą duos prieš pat pradžią)
access-join-not-yes = Susitikimo nuoroda skirta atsakiusiems „Taip“. Pirmiausia atsakykite renginio kortelėje.
access-join-early = Renginio <b>{ $title }</b> susitikimas prasidės { $opens }. Nuo to laiko renginio kortelėje paspauskite „Prisijungti prie susitikimo“ – tada gausite nuorodą.
