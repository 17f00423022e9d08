# Графік: нагадування учасникам, /schedule для організаторів.
cmd-schedule = Нагадування та час анкети заходу

## Що отримують учасники (над карткою заходу)
schedule-reminder-minutes = ⏰ <b>Нагадуємо:</b> захід почнеться через { $count } { $count ->
        [one] хвилину
        [few] хвилини
        [many] хвилин
       *[other] хвилини
    }.
schedule-reminder-hours = ⏰ <b>Нагадуємо:</b> захід почнеться через { $count } { $count ->
        [one] годину
        [few] години
        [many] годин
       *[other] години
    }.
schedule-reminder-days = ⏰ <b>Нагадуємо:</b> захід почнеться через { $count } { $count ->
        [one] день
        [few] дні
        [many] днів
       *[other] дня
    }.
schedule-deadline-header = ⏰ Ви ще не відповіли на це запрошення. Відповіді приймаємо до { $deadline } — достатньо одного натискання.
schedule-btn-directions = 🗺 Як дістатися

## /schedule
schedule-title = 🗓 <b>Графік заходу #{ $id } { $title }</b>
schedule-zone = Час подано { $zone }.
schedule-offsets-default = Нагадування тим, хто відповів «Так» або «Можливо»: за { $offsets } до початку (типово).
schedule-offsets-custom = Нагадування тим, хто відповів «Так» або «Можливо»: за { $offsets } до початку (налаштовано для цього заходу).
schedule-event-cancelled = ❌ Захід скасовано: нагадування більше не надсилаються.
schedule-offset-hours = { $hours } год
schedule-offset-minutes = { $minutes } хв
schedule-item-reminder = нагадування за { $offset } до початку
schedule-item-deadline = нагадування тим, хто не відповів
schedule-item-survey-open = надсилається анкета
schedule-item-survey-remind = нагадування про анкету
schedule-item-survey-close = анкета закривається
schedule-earlier-time = (для попереднього часу)
schedule-state-sent = надіслано { $count } { $count ->
        [one] особі
       *[other] особам
    }
schedule-state-done = виконано
schedule-state-due = виконується зараз
schedule-state-planned-late = пропущено: коли його заплановано, час уже минув
schedule-state-too-late = пропущено: після перерви вже запізно
schedule-state-superseded = пропущено: його замінило пізніше повідомлення
schedule-state-not-opened = пропущено: анкету не було надіслано
schedule-pick-event = Графік якого заходу показати?
schedule-no-events = Найближчих заходів немає. Створіть захід командою /newevent.
schedule-btn-change = ⏰ Змінити час нагадувань
schedule-choose-offsets = Коли нагадати тим, хто відповів «Так» або «Можливо», про захід <b>{ $title }</b>?
schedule-btn-default = Типово: { $offsets }
schedule-btn-none = без нагадувань
schedule-btn-other = ✏️ Інший час
schedule-ask-offsets = Напишіть, за скільки годин до початку надсилати нагадування, через кому, напр. <code>48, 2</code> (пів години — <code>0.5</code>; щонайбільше { $max } { $max ->
        [one] раз
        [few] рази
       *[many] разів
    }, не раніше ніж за { $days } дн. до початку). <code>0</code> вимикає нагадування. /cancel — скасувати.
schedule-offsets-invalid = Напишіть години до початку через кому, напр. <code>48, 2</code> (щонайбільше { $max } { $max ->
        [one] раз
        [few] рази
       *[many] разів
    }, не раніше ніж за { $days } дн. до початку), або <code>0</code>, якщо нагадування не потрібні.
schedule-offsets-saved = Час нагадувань збережено.
