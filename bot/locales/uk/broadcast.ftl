# Розсилки: /broadcast, поступ розсилки наживо, звіт, картки /postcard у групах і каналах,
# персональні посилання-запрошення, імпорт списку учасників.
cmd-broadcast = Надіслати запрошення, нагадування чи повідомлення багатьом людям
cmd-postcard = Опублікувати картку запрошення в групі чи каналі

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

## Картки в групах і каналах
broadcast-group-header = 📨 <b>Запрошення.</b> Відповідайте кнопками; подробиці й нагадування надійдуть в особистому чаті зі мною.
broadcast-group-private-header = Ви відповіли в групі. Ось Ваше запрошення:
broadcast-group-see-private = Подробиці — в нашому особистому чаті.
broadcast-post-choose-event = Картку якого заходу опублікувати?
broadcast-post-choose-chat = Де опублікувати? Оберіть нижче або надішліть ID групи чи каналу (наприклад, <code>-1001234567890</code>) або його @ім’я. Я маю бути там адміністратором.
broadcast-post-no-chats = Де опублікувати? Надішліть ID групи чи каналу (наприклад, <code>-1001234567890</code>) або його @ім’я; я маю бути там адміністратором. Або надішліть /postcard у самій групі.
broadcast-post-bad-chat = Це не ID чату і не @ім’я. Спробуйте ще раз або надішліть /cancel.
broadcast-post-failed = Не вдалося там опублікувати. Призначте мене адміністратором цієї групи чи каналу й спробуйте ще раз.
broadcast-posted = Картку запрошення на <b>{ $title }</b> опубліковано: { $chat }.

## Персональні посилання-запрошення
broadcast-personal-welcome = Вітаємо, { $name }! Це Ваше персональне запрошення.
broadcast-personal-taken = Це персональне посилання вже відкрили з іншого облікового запису Telegram. Якщо воно Ваше, попросіть в організатора нове.

## Списки учасників: імпорт (завантаженням або з командного рядка) та експорт
cmd-personal = Персональні посилання-запрошення і QR-коди (надішліть список CSV/XLSX для імпорту)
broadcast-import-ready = { $count ->
        [one] У списку { $count } людина: нових { $new }, уже відомих (та сама ел. пошта) { $updated }. На який захід їх запрошено?
        [few] У списку { $count } людини: нових { $new }, уже відомих (та сама ел. пошта) { $updated }. На який захід їх запрошено?
       *[other] У списку { $count } людей: нових { $new }, уже відомих (та сама ел. пошта) { $updated }. На який захід їх запрошено?
    }
broadcast-btn-import-no-event = Імпортувати без заходу
broadcast-import-done = Імпортовано: нових { $new }, оновлено { $updated }; щойно запрошено { $invited }. Ось персональні посилання:
broadcast-import-rejected = { $count ->
        [one] Нічого не імпортовано: у списку { $count } помилка. Виправте її й надішліть файл ще раз.
        [few] Нічого не імпортовано: у списку { $count } помилки. Виправте їх і надішліть файл ще раз.
       *[other] Нічого не імпортовано: у списку { $count } помилок. Виправте їх і надішліть файл ще раз.
    }
broadcast-import-row = Рядок { $row }: { $reason }
broadcast-import-more = … і ще { $count }.
broadcast-export-caption = { $count ->
        [one] Персональне посилання-запрошення і QR-код { $count } людини. У ZIP — те саме у форматі CSV і QR-зображення для злиття листів.
       *[other] Персональні посилання-запрошення і QR-коди { $count } людей. У ZIP — те саме у форматі CSV і QR-зображення для злиття листів.
    }
broadcast-export-none = Персональних посилань ще ні в кого немає. Надішліть мені список CSV або XLSX (стовпці: name, email, organisation, необов’язкові role, category), щоб я його імпортував.
broadcast-import-too-big = Файл завеликий (щонайбільше { $max } байтів).
broadcast-import-format = { $name } не є файлом CSV чи XLSX.
broadcast-import-encoding = зіпсоване кодування: файл має бути в UTF-8 (в Excel: «CSV UTF-8»), і в жодній клітинці не може бути спотворених літер.
broadcast-import-too-many = забагато рядків (щонайбільше { $max }).
broadcast-import-csv = файл CSV не вдається прочитати ({ $detail }).
broadcast-import-xlsx = файл XLSX не вдається прочитати ({ $detail }).
broadcast-import-empty = у списку немає рядків.
broadcast-import-unknown-column = невідомий стовпець «{ $column }» (очікуються: name, email, organisation, role, category).
broadcast-import-repeated-column = стовпець «{ $column }» повторюється.
broadcast-import-missing-column = бракує стовпця «{ $column }».
broadcast-import-extra-cells = клітинок більше, ніж стовпців у заголовку.
broadcast-import-missing-name = бракує імені.
broadcast-import-bad-name = ім’я має містити від 2 до { $max } символів.
broadcast-import-bad-email = «{ $email }» не є адресою ел. пошти.
broadcast-import-duplicate-email = ел. пошта { $email } уже є в рядку { $first }.
broadcast-import-bad-organisation = назва організації може мати щонайбільше { $max } символів.
broadcast-import-too-long = посада і категорія можуть мати щонайбільше { $max } символів.

# Обмеження для завантаженого списку (bot/invitations.py ListLimits).
broadcast-import-file-too-big = Файл завеликий ({ $size } МБ, щонайбільше { $max } МБ). Розділіть список на менші файли.
broadcast-import-too-wide = забагато стовпців (щонайбільше { $max }).
broadcast-import-unpacked-too-big = Розпакований файл XLSX займав би понад { $max } МБ — набагато більше, ніж потрібно для списку людей, тому його не відкрито. Збережіть список ще раз (або як «CSV UTF-8») і надішліть.
broadcast-import-too-slow = Читання списку тривало довше ніж { $seconds } с, тому його зупинено. Розділіть список на менші файли або надішліть його як «CSV UTF-8».
broadcast-import-too-much-memory = Для читання списку знадобилося понад { $max } МБ пам’яті, тому його зупинено. Розділіть список на менші файли або надішліть його як «CSV UTF-8».
broadcast-import-unreadable = Файл не вдалося прочитати. Збережіть список ще раз як XLSX або «CSV UTF-8» і надішліть.
broadcast-export-too-many = Персональні посилання мають понад { $max } осіб — забагато для файлів у чаті. На сервері виконайте: <code>python -m bot participants export ТЕКА</code>
