# Participant side: greeting, consent, registration, /my, notices of changes (the card and the answers: rsvp.ftl).
welcome =
    Вітаю! Я — <b>Kvietimas</b>, бот, що надсилає запрошення на навчання.
    Відкрийте посилання-запрошення від організатора або відскануйте QR-код — і я покажу Вам захід.
welcome-back = З поверненням! Ви зареєстровані як { $name }. Ваші заходи — /my.
greeting = Вітаємо! Запрошуємо Вас на захід <b>{ $title }</b>.
consent-text =
    Перш ніж почати: щоб зареєструвати Вас на навчання, { $organiser } зберігає Ваше ім’я та прізвище, організацію, Telegram ID, Ваші відповіді, а після навчання — і Ваші оцінки. Ці дані використовуються лише для організації навчань і для знеособлених звітів фінансувальнику.
    Переглянути свої дані можна будь-коли командою /mydata, а видалити — командою /forget.
btn-consent = ✅ Погоджуюся
register-consent-first = Спершу натисніть «Погоджуюся» вище.
register-ask-name = Ваше ім’я та прізвище?
register-ask-organisation = В якій організації чи установі Ви працюєте?
register-done = Дякуємо! Ви зареєстровані як { $name }.
error-name = Напишіть ім’я та прізвище (від 2 до { $max } { $max ->
        [one] символу
       *[many] символів
    }).
error-organisation = Напишіть назву своєї організації (від 2 до { $max } { $max ->
        [one] символу
       *[many] символів
    }).

my-title = <b>Ваші заходи</b>
my-item = { $number }. <b>{ $title }</b> — { $when } — { $status }
my-empty = Найближчих заходів немає. Відкрийте посилання-запрошення — і я покажу захід.

change-header = ✏️ <b>Зміни в заході: { $title }</b>
change-time = Новий час: { $when }
change-place = Нове місце:
change-agenda = Розклад змінено — дивіться нижче.
change-title = (раніше — «{ $old }»)
event-cancelled-notice = ❌ Захід <b>{ $title }</b> скасовано. Перепрошуємо за незручності.
