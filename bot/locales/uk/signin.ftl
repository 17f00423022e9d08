# Список учасників для підпису (bot/signin.py): друкований PDF (простий текст) і його кнопка.
attendance-btn-signin = 🖨 Список для підпису
signin-title = Список присутніх учасників
signin-programme = Програма: { $programme }
signin-when = Дата і час: { $when }
signin-place = Місце: { $place }
signin-organiser = Організатор: { $organiser }
signin-col-number = № з/п
signin-col-name = Ім’я та прізвище
signin-col-organisation = Організація
signin-col-signature = Підпис
signin-certified = Список перевірив(-ла): ____________________________ (ім’я, прізвище, підпис)
signin-private-only = Список для підпису надсилається лише в приватному чаті з ботом.
