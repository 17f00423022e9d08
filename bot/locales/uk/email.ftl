# Електронна пошта: надсилання (локальний SMTP-сервер демонстрації); запрошення додають свої тексти нижче.
email-devserver-written = { $count ->
    [one] Локальний SMTP-сервер отримав { $count } лист, його записано в { $folder }
    [few] Локальний SMTP-сервер отримав { $count } листи, їх записано в { $folder }
    [many] Локальний SMTP-сервер отримав { $count } листів, їх записано в { $folder }
   *[other] Локальний SMTP-сервер отримав { $count } листа, їх записано в { $folder }
}
email-devserver-listening = Локальний SMTP-сервер працює на { $host }:{ $port }; листи записуються в { $folder }

# Запрошення електронною поштою (bot/email/). Рядки заходу (час, місце, розклад) і
# заголовки беруться з ключів чату (card-*, broadcast-*-header), щоб тексти не розходилися.

## Лист
email-subject-invitation = Запрошення: { $title }
email-subject-reminder = Нагадування: { $title }
email-greeting = Вітаємо, { $name }!
email-greeting-anonymous = Вітаємо!
email-intro-invitation = { $organisation } запрошує вас на навчання. Відповісти можна в Telegram: ваше особисте посилання нижче відкриває бота, який уже знає, хто ви.
email-intro-reminder = Ви ще не відкрили своє запрошення. Особисте посилання нижче відкриває бота в Telegram: відповідь забере кілька секунд.
email-button = Відкрити моє запрошення в Telegram
email-link-hint = Якщо кнопка не працює, скопіюйте це посилання в браузер:
email-qr-hint = Читаєте на комп'ютері? Відскануйте код камерою телефона.
email-qr-alt = QR-код вашого особистого посилання
email-personal = Посилання призначене лише вам: будь ласка, не пересилайте цей лист.
email-ics-hint = Доданий файл календаря внесе навчання до вашого календаря.
email-contact = Маєте запитання? Дайте відповідь на цей лист або напишіть на { $contact }.
email-why = Ви отримали цей лист, бо вас внесено до списку учасників цього навчання, який веде { $organisation }.
email-unsubscribe = Більше не надсилати мені листів

## Сторінка відписки
email-unsub-title = Відписка від листів
email-unsub-question = Більше не надсилати листів від { $organisation } на адресу { $address }?
email-unsub-button = Більше не надсилати мені листів
email-unsub-done = Готово: на адресу { $address } листів більше не надсилатимемо.
email-unsub-unknown = Це посилання недійсне.

## Кроки організатора (/broadcast -> електронною поштою)
email-btn-by-email = 📧 Електронною поштою (ще не в Telegram)
email-off = Для цього бота електронну пошту не налаштовано (налаштування [email], docs/email.md).
email-choose-segment = 📧 <b>{ $title }</b>: кому надіслати лист? (запрошені, чию адресу ми знаємо)
email-seg-not-opened = Ще не відкрили бота ({ $count })
email-seg-all = Усі запрошені з адресою ({ $count })
email-seg-org = Одна організація
email-choose-org = Яка організація?
email-choose-kind = Який лист надіслати?
email-kind-invitation = 📨 Запрошення, зараз
email-kind-reminder-now = ⏰ Нагадування, зараз
email-kind-reminder-later = ⏰ Нагадування через { $hours } год
email-preview-title = 📧 <b>Попередній перегляд листа</b>
email-preview-subject = Тема: { $subject }
email-preview-count = Одержувачів: { $count } (кожен отримає своє посилання, QR-код і файл календаря)
email-preview-skipped = Не пишемо (відписалися або адреса не працює): { $count }
email-preview-later = Буде надіслано { $when } тим, хто до того часу не відкрив посилання і не відповів.
email-btn-send = 📧 Надіслати листи ({ $count })
email-btn-schedule = ⏰ Запланувати нагадування
email-nobody = У цій групі немає нікого, кому можна написати.
email-queued = 📧 Листів у черзі: { $count }; вони підуть у темпі, встановленому для цього бота.
email-scheduled = ⏰ Нагадування буде надіслано { $when }.
email-btn-report = 📊 Звіт про листи
email-report-title = 📧 <b>Листи про { $title }</b>
email-report-campaign = <b>{ $kind }</b> ({ $when })
email-report-totals = Надіслано { $sent } · чекає { $pending } · відхилено { $refused } · повернулося { $bounced } · відписалися { $unsubscribed } · потім відкрили бота { $opened }
email-report-line = { $organisation }: листів { $queued }, відкрили бота { $opened }, повернулося { $bounced }, відписалися { $unsubscribed }
email-report-no-organisation = (без організації)
email-report-none = Про цей захід листів ще не надсилали.
email-report-waiting = чекає до { $when }
email-progress = 📧 Надсилаємо листи про <b>{ $title }</b>: надіслано { $sent } · чекає { $pending } · відхилено { $refused }
email-progress-done = 📧 <b>{ $title }</b>: листи надіслано.
