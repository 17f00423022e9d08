# Skaičiuoklės (CSV ir XLSX eksportas): kodų pavadinimai ir stulpelių antraštės (bot/sheets.py).

sheets-kind-rating = Vertinimas (1–5)
sheets-kind-nps = Rekomendavimo tikimybė (0–10)
sheets-kind-single = Vienas pasirinkimas
sheets-kind-multi = Keli pasirinkimai
sheets-kind-text = Laisvas atsakymas
sheets-col-answered-at = Atsakyta (renginio vietos laiku)
sheets-col-questionnaire = Anketa
sheets-col-starts = Pradžia
sheets-col-ends = Pabaiga
sheets-col-item = Rodiklis
sheets-col-value = Reikšmė
sheets-yes = taip
sheets-no = ne
sheets-links-sheet = Asmeninės nuorodos
sheets-links-col-name = Vardas ir pavardė
sheets-links-col-email = El. paštas
sheets-links-col-organisation = Organizacija
sheets-links-col-role = Pareigos
sheets-links-col-category = Kategorija
sheets-links-col-link = Asmeninė nuoroda
sheets-links-col-qr-file = QR kodo failas
sheets-links-col-opened = Nuoroda atidaryta
sheets-links-col-qr = QR kodas
