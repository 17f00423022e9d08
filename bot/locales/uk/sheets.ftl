# Електронні таблиці (експорт CSV і XLSX): назви кодів і заголовки стовпців (bot/sheets.py).

sheets-kind-rating = Оцінка (1–5)
sheets-kind-nps = Ймовірність рекомендації (0–10)
sheets-kind-single = Один варіант
sheets-kind-multi = Кілька варіантів
sheets-kind-text = Вільна відповідь
sheets-col-answered-at = Час відповіді (за місцевим часом заходу)
sheets-col-questionnaire = Анкета
sheets-col-starts = Початок
sheets-col-ends = Завершення
sheets-col-item = Показник
sheets-col-value = Значення
sheets-yes = так
sheets-no = ні
sheets-links-sheet = Персональні посилання
sheets-links-col-name = Прізвище та ім'я
sheets-links-col-email = Електронна пошта
sheets-links-col-organisation = Організація
sheets-links-col-role = Посада
sheets-links-col-category = Категорія
sheets-links-col-link = Персональне посилання
sheets-links-col-qr-file = Файл QR-коду
sheets-links-col-opened = Посилання відкрито
sheets-links-col-qr = QR-код
