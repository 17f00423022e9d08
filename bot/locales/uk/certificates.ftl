## Сертифікат про участь (PDF; простий текст, без HTML; bot/certificates.py)
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
