# Dalyvių sąrašas pasirašyti (bot/signin.py): spausdinamas PDF (paprastas tekstas) ir jo mygtukas.
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
