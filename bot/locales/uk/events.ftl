# Organiser side: events list, creation, editing, links, RSVP lists.
org-events-title = <b>Найближчі заходи</b>
org-no-events = Найближчих заходів немає. Створіть захід командою /newevent.
org-counts = ✅ { $yes } · 🤔 { $maybe } · ❌ { $no } · ⏳ { $waitlist } · запрошено: { $invited } · місць: { $capacity }
org-unknown-organisation = (організацію не вказано)
org-rsvp-group = <b>{ $organisation }</b>: «так» — { $yes } з { $total }
org-rsvp-none = Ще ніхто не відповів.
org-pick-event = Який захід?
org-link =
    Запрошення на захід <b>{ $title }</b>:
    { $link }
    Поширте посилання або роздрукуйте QR-код.
btn-link = 🔗 Посилання
btn-rsvps = 📋 Відповіді
btn-edit = ✏️ Змінити
btn-save = 💾 Зберегти
btn-save-notify = 💾 Зберегти й повідомити
btn-discard = ✖ Відкинути
btn-cancel-event = ❌ Скасувати захід
btn-cancel-event-confirm = Так, скасувати й повідомити

new-intro = Створімо захід. Зупинитися можна будь-коли командою /cancel.
new-ask-title = Назва заходу?
new-ask-programme = До якої програми чи проєкту він належить? Оберіть нижче або введіть нову назву.
new-ask-starts = Коли початок? Введіть дату й час ({ $zone }), наприклад <code>2027-03-09 10:00</code>.
new-ask-ends = Коли завершення? Введіть час, наприклад <code>16:00</code>, або дату й час.
new-ask-place = Де? Введіть адресу, наприклад <code>L. Petravičiaus a. 2, Naujoji Akmenė</code>, або посилання для онлайн-підключення, що починається з https://.
new-ask-hall = Зал чи кабінет і поверх через кому, наприклад <code>Великий зал, 2-й поверх</code>.
new-ask-capacity = Скільки місць? Введіть число.
new-ask-deadline = До коли можна відповісти? Введіть дату й час, наприклад <code>2027-03-05 18:00</code>.
new-ask-agenda =
    Розклад, по одному пункту в рядку: час, назва, а після тире — лектор, наприклад
    <code>10:00 Вступ — J. Jonaitė</code>
new-ask-description = Короткий опис для учасників?
new-preview = <b>Попередній перегляд.</b> Перевірте захід і збережіть:
new-saved = Захід #{ $id } <b>{ $title }</b> збережено. Ось посилання-запрошення:
edit-choose = Що змінити в заході #{ $id } <b>{ $title }</b>?
edit-ask-title = Нова назва?
edit-ask-time = Нові дата й час ({ $zone }), наприклад <code>2027-03-09 10:00-16:00</code>.
edit-ask-place = Нова адреса або посилання для онлайн-підключення, що починається з https://?
edit-ask-hall = Зал чи кабінет і поверх через кому?
edit-ask-capacity = Нова кількість місць?
edit-ask-deadline = Новий термін для відповіді, наприклад <code>2027-03-05 18:00</code>?
edit-ask-agenda = Увесь новий розклад, по одному пункту в рядку: <code>10:00 Назва — Лектор</code>
edit-ask-description = Новий опис?
edit-saved = Захід #{ $id } збережено. { $notified ->
        [one] Повідомлення про зміну отримає { $notified } учасник.
        [few] Повідомлення про зміну отримають { $notified } учасники.
       *[many] Повідомлення про зміну отримають { $notified } учасників.
    }
edit-use-buttons = Збережіть або відкиньте зміну кнопками вище.
error-nothing-to-save = Більше нема чого зберігати. Почніть знову: /newevent або /editevent.
field-title = Назва
field-time = Дата й час
field-place = Місце чи посилання
field-hall = Зал і поверх
field-capacity = Кількість місць
field-deadline = Термін для відповіді
field-agenda = Розклад
field-description = Опис
cancel-event-confirm = Скасувати захід <b>{ $title }</b>? { $people ->
        [one] Повідомлення отримає { $people } учасник, який відповів «так» чи «можливо» або чекає на місце.
        [few] Повідомлення отримають { $people } учасники, які відповіли «так» чи «можливо» або чекають на місце.
       *[many] Повідомлення отримають { $people } учасників, які відповіли «так» чи «можливо» або чекають на місце.
    }
cancel-event-done = Захід <b>{ $title }</b> скасовано. { $notified ->
        [one] Повідомлення отримає { $notified } учасник.
        [few] Повідомлення отримають { $notified } учасники.
       *[many] Повідомлення отримають { $notified } учасників.
    }

error-datetime-format = Введіть дату й час у такому форматі: <code>{ $example }</code>.
error-time-format = Введіть час у такому форматі: <code>{ $example }</code>.
error-time-range = Введіть дату й час у такому форматі: <code>{ $example }</code>.
error-capacity = Введіть ціле число від 1 до { $max }.
error-agenda-line = Рядок { $line } розкладу має починатися з часу, наприклад <code>{ $example }</code>.
error-agenda-too-long = У розкладі може бути не більше ніж { $max } { $max ->
        [one] пункт
        [few] пункти
       *[many] пунктів
    }.
error-place = Введіть адресу (до 300 символів) або посилання, що починається з https://.
error-url = Онлайн-посилання має починатися з http:// або https://.
error-title = Назва має містити від 1 до { $max } { $max ->
        [one] символу
       *[many] символів
    }.
error-timezone = Невідомий часовий пояс: { $zone }.
error-end-before-start = Завершення має бути пізніше за початок.
error-too-long = Захід може тривати не більше ніж 14 днів.
error-in-past = За цими датами захід уже завершився б. Перевірте дати.
error-deadline-after-start = Термін для відповіді має бути до початку заходу.
error-text-too-long = Текст задовгий (не більше ніж { $max } { $max ->
        [one] символ
        [few] символи
       *[many] символів
    }).
error-slug = Коротка назва (slug) може містити лише малі латинські літери, цифри, - і _ (до 64 символів).
error-toml-syntax = Файл заходу не є коректним TOML: { $detail }
error-toml-unknown = У файлі заходу є невідоме поле: { $field }
error-toml-field = У файлі заходу бракує поля або воно некоректне: { $field }
error-encoding = Файл не є текстом у кодуванні UTF-8.

## Сторінки й файл /rsvps, попередній перегляд для організатора (e-texts)
org-rsvp-page = Сторінка { $page } з { $pages }
org-rsvp-btn-previous = ◀ { $page }
org-rsvp-btn-next = { $page } ▶
org-rsvp-btn-file = 📄 Увесь список (CSV)
org-rsvp-col-organisation = Організація
org-rsvp-col-name = Ім’я та прізвище
org-rsvp-col-answer = Відповідь
org-rsvp-file-caption = <b>{ $title }</b>: увесь список відповідей — { $count } { $count ->
        [one] особа
        [few] особи
        [many] осіб
       *[other] особи
    }.
preview-field = { $field }: { $value }
preview-field-programme = Програма
preview-field-zone = Часовий пояс
preview-online = Онлайн: { $url }
preview-capacity-unlimited = без обмежень
