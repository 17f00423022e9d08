# RSVPs: the event card, the answers, the waiting list, the calendar file.
card-when = 📅 { $day }, { $start }–{ $end }
card-when-multiday = 📅 { $start_day } { $start } – { $end_day } { $end }
card-place = 📍 { $place }
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
