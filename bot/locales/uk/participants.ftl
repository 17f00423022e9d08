# Participant side: greeting, consent, registration, the event card, RSVPs.
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

card-when = 📅 { $day }, { $start }–{ $end }
card-when-multiday = 📅 { $start_day } { $start } – { $end_day } { $end }
card-place = 📍 { $place }
card-online = 💻 Онлайн (посилання для підключення з’явиться, коли Ви відповісте «Так» або «Можливо»)
card-online-link = 💻 Онлайн: <a href="{ $url }">посилання для підключення</a>
card-places-left = 🪑 { $left ->
        [one] Залишилося { $left } місце з { $capacity }
        [few] Залишилося { $left } місця з { $capacity }
       *[many] Залишилося { $left } місць з { $capacity }
    }
card-deadline = ⏰ Просимо відповісти до { $deadline }
card-agenda = <b>Розклад</b>
card-your-answer = Ваша відповідь: <b>{ $status }</b>
card-cancelled = ❌ <b>Цей захід скасовано.</b>

status-yes = ✅ Візьму участь
status-no = ❌ Не візьму участі
status-maybe = 🤔 Можливо
status-waitlist = ⏳ У списку очікування
status-none = ще немає

btn-yes = ✅ Так
btn-no = ❌ Ні
btn-maybe = 🤔 Можливо
btn-calendar = 📅 До календаря

rsvp-toast-yes = Збережено: Ви візьмете участь. До зустрічі!
rsvp-toast-no = Збережено: Ви не візьмете участі.
rsvp-toast-maybe = Збережено: можливо.
rsvp-toast-waitlist = Місць більше немає. Ви в списку очікування — ми повідомимо, якщо місце звільниться.
rsvp-refused-deadline = Термін для відповіді минув. Зверніться до організатора.
rsvp-refused-over = Цей захід уже завершився.
rsvp-refused-gone = Цей захід скасовано або він більше недоступний.
waitlist-promoted = 🎉 Звільнилося місце: Вас зареєстровано на захід <b>{ $title }</b>.
calendar-caption = Відкрийте файл, щоб додати захід <b>{ $title }</b> до свого календаря.

my-title = <b>Ваші заходи</b>
my-item = { $number }. <b>{ $title }</b> — { $when } — { $status }
my-empty = Найближчих заходів немає. Відкрийте посилання-запрошення — і я покажу захід.

change-header = ✏️ <b>Зміни в заході: { $title }</b>
change-time = Новий час: { $when }
change-place = Нове місце:
change-agenda = Розклад змінено — дивіться нижче.
change-title = (раніше — «{ $old }»)
event-cancelled-notice = ❌ Захід <b>{ $title }</b> скасовано. Перепрошуємо за незручності.
