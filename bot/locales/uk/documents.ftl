# Документи: сертифікати, звіт для фінансувальника, список для підпису й електронні таблиці (bot/documents/).

## Сертифікат про участь (PDF; простий текст, без HTML; bot/documents/certificates.py)
cert-title = СЕРТИФІКАТ ПРО УЧАСТЬ
cert-certifies = Цим засвідчується, що
cert-attended = взяв(-ла) участь у навчанні
cert-event-title = «{ $title }»
cert-detail = { $label }: { $value }
cert-label-programme = Програма
cert-label-date = Дата
cert-label-place = Місце проведення
cert-label-duration = Тривалість
cert-label-organiser = Організатор
cert-online = онлайн
cert-hours = { $count ->
        [one] { $hours } година
        [few] { $hours } години
        [many] { $hours } годин
       *[other] { $hours } години
    }
cert-academic-hours = { $count ->
        [one] { $hours } академічна година
        [few] { $hours } академічні години
        [many] { $hours } академічних годин
       *[other] { $hours } академічної години
    }
cert-issued = Видано { $date }
cert-reg-number = Реєстраційний № { $number }
cert-code = Код перевірки: { $code }
cert-verify-hint = Щоб перевірити сертифікат, проскануйте QR-код або відкрийте

## Перевірка і повідомлення організаторам (у чаті, HTML)
cert-verify-ok =
    ✅ <b>Справжній сертифікат</b> { $code } (реєстраційний № { $number })
    { $name }, { $organisation }
    взяв(-ла) участь у навчанні «{ $title }», { $date } ({ $hours }).
    Видав { $organiser }, { $issued }.
cert-unrenderable = ⚠️ У сертифікаті { $number } ({ $name }, «{ $title }») не вдалося надрукувати ці літери: { $letters }. Сертифікат надіслано, але на їхньому місці пробіли. Укажіть шрифт, що їх містить, у налаштуванні <code>[documents] fallback_fonts</code>, і учасник зможе отримати сертифікат знову командою /certificate.

## Налаштування сертифіката (/attendance → ⚙️)
cert-settings-language = 📄 Мова сертифіката: { $language ->
        [lt] литовська
        [en] англійська
       *[uk] українська
    }{ $second ->
        [lt] { " + литовська" }
        [en] { " + англійська" }
       *[none] { "" }
    }
cert-settings-hours = ⏱ Тривалість у сертифікаті: { $hours }{ $declared ->
        [yes] { "" }
       *[no] { " (за часом заходу)" }
    }
cert-btn-lang-lt = Литовська
cert-btn-lang-en = Англійська
cert-btn-lang-uk = Українська
cert-btn-lang-default = Мова за замовчуванням
cert-btn-bilingual-on = + англійська: увімкнути
cert-btn-bilingual-off = + англійська: вимкнути
cert-btn-unit-hours = Години (60 хв)
cert-btn-unit-academic = Академічні години (45 хв)
cert-btn-precision = { $digits ->
        [0] Цілими числами
        [one] { $digits } знак після коми
        [few] { $digits } знаки після коми
       *[other] { $digits } знаків після коми
    }
cert-btn-hours = ✏️ Ввести кількість годин
cert-ask-hours = Скільки годин зазначити в сертифікаті? Надішліть число, наприклад 6 або 7,5 (в обраних одиницях: години або академічні години). Надішліть 0, щоб повернутися до тривалості за часом заходу.
cert-hours-invalid = Це не кількість годин (від 0 до { $max }). Надішліть, наприклад, 6 або 7,5.

## Звіт для фінансувальника (PDF і XLSX; простий текст)
report-title = Звіт для фінансувальника
report-programme = Програма: { $programme }
report-organiser = Організатор: { $organiser }
report-prepared = Підготовлено { $date }
report-page = Сторінка { $page } з { $pages }
report-section-events = Заходи
report-section-institutions = Установи
report-section-survey = Анкета
report-section-comments = Коментарі
report-sheet-summary = Підсумок
report-sheet-scores = Оцінки
report-total = Разом
report-none = Немає.
report-no-organisation = (організацію не вказано)
report-other-organisations = Інші організації (малі групи разом)
report-responses = Анкету заповнили { $completed } з { $eligible } тих, хто її отримав ({ $rate }).
report-overall = Загальна оцінка: { $score } з 5 (середнє з { $count } { $count ->
        [one] оцінювального запитання
        [few] оцінювальних запитань
        [many] оцінювальних запитань
       *[other] оцінювального запитання
    }).
report-no-answers = Відповідей ще немає.
report-by-organisation = Оцінка за організаціями
report-col-date = Дата
report-col-event = Захід
report-col-place = Місце
report-col-invited = Запрошено
report-col-yes = Відповіли «так»
report-col-present = Присутні
report-col-walkin = Присутні без «так»
report-col-organisation = Організація
report-col-question = Запитання
report-col-n = n
report-col-mean = Середнє
report-col-median = Медіана
report-col-respondents = Респонденти
report-col-programme = Програма
report-col-organiser = Організатор
report-col-events = Заходи
report-col-asked = Отримали анкету
report-col-completed = Заповнили
report-col-overall = Загальна оцінка (1–5)
report-col-comment = Коментар

# Звіт для донора (bot/documents/report.py): ключі, додані для анонімності, NPS і таблиці заходів.
report-col-time = Час
report-col-hours = Год.
report-col-rated-top = Оцінили на 4–5
report-col-promoters = Промоутери (9–10)
report-col-passives = Пасивні (7–8)
report-col-detractors = Критики (0–6)
report-col-nps = NPS
report-col-unfinished = Почали, але не завершили
report-scale = { $low } = { $low_label } … { $high } = { $high_label }
report-ratings = Оцінки (шкала 1–5)
report-chart = Розподіл відповідей (1–5)
report-section-nps = Готовність рекомендувати (NPS, шкала 0–10)
report-nps-how = NPS = частка промоутерів (9–10) мінус частка критиків (0–6), від −100 до +100.
report-n-note = { $unfinished ->
    [0] n — скільки осіб відповіли на запитання. Це число може бути меншим за кількість заповнених анкет, бо необов’язкові запитання можна пропустити.
   *[other] n — скільки осіб відповіли на запитання. Це число може бути меншим за кількість заповнених анкет, бо необов’язкові запитання можна пропустити, і враховує відповіді з { $unfinished } { $unfinished ->
        [one] розпочатої, але не завершеної анкети
       *[other] розпочатих, але не завершених анкет
    }.
}
report-privacy-note = Результати знеособлено, як учасникам пообіцяли, коли вони давали згоду: біля оцінок і коментарів імен не зазначено, а організації, де респондентів менше ніж { $min }, окремо не показано.
report-merged-note = Організації, де респондентів менше ніж { $min }, показано разом у рядку «Інші організації» (у ньому { $count } { $count ->
    [one] організація
    [few] організації
   *[other] організацій
}).
report-suppressed-note = Відповіді { $count } { $count ->
    [one] респондента
   *[other] респондентів
} з організацій, де респондентів менше ніж { $min }, за організаціями не показано: навіть разом їх менше ніж { $min }. Ці відповіді враховано в загальних результатах.
report-sheet-nps = NPS
report-sheet-organisations = За організаціями
report-comments-anonymous = Коментарі наведено так, як їх написано, без імен і назв організацій.
report-topped-up-note = Разом у них усе одно замало респондентів (менше ніж { $min }), тому до них додано найменшу з організацій, які інакше показано окремо: з підсумків не можна обчислити відповіді жодної групи.

# Список учасників для підпису (bot/documents/signin.py): друкований PDF (простий текст) і його кнопка.
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

# Електронні таблиці (експорт CSV і XLSX): назви кодів і заголовки стовпців (bot/documents/sheets.py).

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
