# Розсилки: /broadcast, поступ розсилки наживо, звіт.
cmd-broadcast = Надіслати запрошення, нагадування чи повідомлення багатьом людям

## Кроки розсилки
broadcast-choose-event = <b>Нова розсилка.</b> Про який захід?
broadcast-btn-no-event = 🌐 Не про конкретний захід
broadcast-choose-segment = Кому надіслати? <b>{ $title }</b> (числа — люди, до яких бот може достукатися)
broadcast-choose-segment-all = Кому надіслати? (числа — люди, до яких бот може достукатися)
broadcast-seg-invitees = 👥 Усім запрошеним
broadcast-seg-yes = ✅ Тим, хто відповів «так»
broadcast-seg-maybe = 🤔 Тим, хто відповів «можливо»
broadcast-seg-no = ❌ Тим, хто відповів «ні»
broadcast-seg-none = ❓ Тим, хто ще не відповів
broadcast-seg-org = 🏢 Одній організації…
broadcast-seg-programme-of = 📚 Усім учасникам програми
broadcast-seg-programme = 📚 Одній програмі…
broadcast-seg-everyone = 🌐 Усім
broadcast-choose-org = Якій організації?
broadcast-choose-programme = Якій програмі?
broadcast-no-organisations = Ніхто з тих, до кого бот може достукатися, ще не вказав організацію.
broadcast-no-programmes = Програм ще немає.
broadcast-choose-kind = Що надіслати?
broadcast-kind-invitation = 📨 Запрошення: картку заходу з кнопками відповіді
broadcast-kind-reminder = ⏰ Нагадування з карткою заходу
broadcast-kind-update = ✏️ Власне повідомлення
broadcast-ask-text = Напишіть повідомлення. Жирний шрифт, курсив і посилання збережуться. Щоб зупинитися, надішліть /cancel.
broadcast-text-too-long = Повідомлення задовге: щонайбільше { $max } { $max ->
        [one] символ
        [few] символи
       *[other] символів
    }.
broadcast-use-buttons = Скористайтеся кнопками вище або надішліть /cancel.
broadcast-flow-expired = Цей крок уже неактуальний. Почніть знову з /broadcast.
broadcast-preview-buttons = <i>Кнопки: { $labels }</i>
broadcast-preview-title = <b>Перевірте й надішліть.</b> Ось що вони отримають:
broadcast-preview-count = { $count ->
        [one] Отримає <b>{ $count }</b> людина.
        [few] Отримають <b>{ $count }</b> людини.
       *[other] Отримають <b>{ $count }</b> людей.
    }
broadcast-preview-skipped = Пропущено як недосяжних (заблокували бота, відмовилися від повідомлень або не відкривали його): { $count }
broadcast-preview-languages = Мови: { $languages }
broadcast-nobody = У цій групі немає нікого, до кого бот може достукатися, тож надсилати нікому.
broadcast-btn-send = { $count ->
        [one] ✅ Надіслати { $count } людині
        [few] ✅ Надіслати { $count } людям
       *[other] ✅ Надіслати { $count } людям
    }
broadcast-seg-desc-invitees = Усі запрошені на <b>{ $title }</b>
broadcast-seg-desc-rsvp = Запрошені на <b>{ $title }</b>, які відповіли: { $answers }
broadcast-seg-desc-org = Усі з організації «{ $organisation }»
broadcast-seg-desc-org-event = Запрошені на <b>{ $title }</b> з організації «{ $organisation }»
broadcast-seg-desc-programme = Усі учасники програми «{ $programme }»
broadcast-seg-desc-everyone = Усі, до кого бот може достукатися
broadcast-answer-yes = так
broadcast-answer-maybe = можливо
broadcast-answer-no = ні
broadcast-answer-waitlist = список очікування
broadcast-answer-none = ще не відповіли

## Що отримують адресати
broadcast-invitation-header = 📨 <b>Вас запрошено</b>
broadcast-reminder-header = ⏰ <b>Нагадування:</b> { $title }
    { $when }
broadcast-update-header = ✉️ <b>Повідомлення від організаторів</b>
broadcast-update-header-event = ✉️ <b>Щодо заходу «{ $title }»</b>
broadcast-btn-show-event = 📅 Показати захід

## Поступ і звіт
broadcast-progress-title = 📤 <b>Розсилка #{ $id }</b> триває
broadcast-progress-sent = Надіслано: <b>{ $sent }</b> з { $total }
broadcast-progress-counts = Не вдалося: { $failed } · недосяжні: { $unreachable } · залишилося: { $remaining }
broadcast-progress-eta = До завершення приблизно { $eta }
broadcast-btn-stop = ⏹ Зупинити надсилання
broadcast-stopping = Зупиняємо. Звіт надійде згодом.
broadcast-not-running = Ця розсилка вже не триває.
broadcast-not-stopped = Цю розсилку не зупинено.
broadcast-btn-resume = ▶️ Надіслати решту
broadcast-cancelled = { $count ->
        [one] Зупинено: { $count } повідомлення не надіслано. Звіт надійде згодом.
        [few] Зупинено: { $count } повідомлення не надіслано. Звіт надійде згодом.
       *[other] Зупинено: { $count } повідомлень не надіслано. Звіт надійде згодом.
    }
broadcast-interrupted = ⚠️ Бот перезапустився, поки цю розсилку готували; нічого не надіслано. Почніть її знову з /broadcast.
broadcast-report-done = ✅ <b>Розсилку #{ $id } завершено</b>
broadcast-report-stopped = ⏹ <b>Розсилку #{ $id } зупинено</b>
broadcast-report-sent = Надіслано: <b>{ $sent }</b> з { $total }
broadcast-report-failed = Не вдалося після кількох спроб: { $count }
broadcast-report-unreachable = Недосяжні (заблокували бота або видалили обліковий запис): { $count }
broadcast-report-opted-out = Пропущено, бо відмовилися від повідомлень: { $count }
broadcast-report-pending = { $count ->
        [one] { $count } повідомлення не надіслано, воно лишається в черзі: щоб продовжити, натисніть «Надіслати решту».
        [few] { $count } повідомлення не надіслано, вони лишаються в черзі: щоб продовжити, натисніть «Надіслати решту».
       *[other] { $count } повідомлень не надіслано, вони лишаються в черзі: щоб продовжити, натисніть «Надіслати решту».
    }
broadcast-report-duplicates = { $count ->
        [one] { $count } людина могла отримати повідомлення двічі (воно надсилалося саме під час перезапуску).
        [few] До { $count } людей могли отримати повідомлення двічі (вони надсилалися саме під час перезапуску).
       *[other] До { $count } людей могли отримати повідомлення двічі (вони надсилалися саме під час перезапуску).
    }
broadcast-report-took = Тривалість: { $took }.
broadcast-seconds = { $count ->
        [one] { $count } секунда
        [few] { $count } секунди
        [many] { $count } секунд
       *[other] { $count } секунди
    }
broadcast-minutes = { $count ->
        [one] { $count } хвилина
        [few] { $count } хвилини
        [many] { $count } хвилин
       *[other] { $count } хвилини
    }
broadcast-hours = { $hours } год { $minutes } хв
