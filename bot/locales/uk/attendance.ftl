# Відвідування: позначка присутності на місці, онлайн-приєднання, пропозиції зі списку очікування, сертифікати, /attendance, /report.
cmd-attendance = Хто прийшов: позначити присутніх, підсумки
cmd-checkin = QR-код для позначки присутності
cmd-report = Звіт для фінансувальника (PDF і XLSX)
cmd-certificate = Мої сертифікати про участь

## Позначка присутності на місці (QR)
attendance-checkin-ok = ✅ Вашу присутність на заході <b>{ $title }</b> позначено. Ласкаво просимо!
attendance-checkin-already = ✅ Вашу присутність на заході <b>{ $title }</b> уже позначено.
attendance-checkin-early = ⏳ Присутність на заході <b>{ $title }</b> почнемо позначати { $opens }. Тоді проскануйте код ще раз.
attendance-checkin-over = Захід <b>{ $title }</b> уже завершився, присутність більше не позначаємо.
attendance-checkin-cancelled = Захід <b>{ $title }</b> скасовано.
attendance-checkin-unknown = Цей код для позначки присутності недійсний. Будь ласка, проскануйте код, показаний на вході.
attendance-checkin-register = Щоб позначити Вашу присутність, спершу потрібні Ваше ім’я та організація (це займе хвилину).

## Онлайн-заходи
attendance-btn-join = 💻 Приєднатися до зустрічі
attendance-join-ok = ✅ Вас позначено присутніми на заході <b>{ $title }</b>. Приєднуйтеся кнопкою нижче.
attendance-join-over = Захід <b>{ $title }</b> уже завершився.
attendance-join-no-link = Цей захід не має посилання на онлайн-зустріч.
attendance-btn-open-meeting = 🔗 Відкрити зустріч

## Пропозиції зі списку очікування
attendance-offer =
    🎟 <b>Звільнилося місце</b> на заході <b>{ $title }</b> ({ $when }).
    Його зарезервовано для Вас до { $until }. Будь ласка, підтвердіть протягом { $hours } { $hours ->
        [one] години
        [few] годин
        [many] годин
       *[other] години
    }, інакше місце перейде до наступної людини в списку очікування.
attendance-btn-offer-accept = ✅ Підтверджую участь
attendance-btn-offer-decline = ❌ Не зможу прийти
attendance-btn-leave-waitlist = 🚪 Вийти зі списку очікування
attendance-btn-show-event = 📅 Показати захід
attendance-offer-accepted = 🎉 Ваше місце підтверджено. До зустрічі!
attendance-offer-declined = Дякуємо, що повідомили. Місце перейде до наступної людини в списку очікування.
attendance-offer-expired = ⌛ На жаль, час дії цієї пропозиції минув.
attendance-offer-none = Ця пропозиція вже недійсна.
attendance-offer-lapsed = ⌛ Запропоноване Вам місце на заході <b>{ $title }</b> не було вчасно підтверджене й перейшло до наступної людини. Ви більше не в списку очікування; щоб повернутися до нього, відкрийте захід і натисніть «Так».

## Сертифікати
attendance-cert-caption =
    🎓 Сертифікат про участь: <b>{ $title }</b>
    Код перевірки: <code>{ $code }</code>
attendance-cert-none = У Вас ще немає сертифікатів. Їх видають після заходу тим, кого позначено присутніми.
attendance-cert-pick = Який сертифікат Вам потрібен?
attendance-cert-not-ended = Сертифікат видається після завершення заходу.
attendance-cert-survey-first = Ми надішлемо Ваш сертифікат, щойно Ви заповните анкету про захід.
attendance-cert-off = Сертифікати за цей захід не видаються. Будь ласка, зверніться до організатора.
attendance-cert-not-present = Вас не позначено присутніми на цьому заході. Якщо Ви там були, зверніться до організатора.

## Перевірка (/start v_...)
attendance-verify-erased = ✅ <b>Справжній сертифікат</b> { $code }, захід «{ $title }», { $date }. Персональні дані власника видалено на його прохання.
attendance-verify-forged = ❌ Сертифіката з кодом { $code } не існує. Можливо, код введено з помилкою або сертифікат підроблено.

## /attendance (для організаторів)
attendance-pick-event = Відвідування якого заходу?
attendance-no-events = Заходів ще немає. Створіть захід командою /newevent.
attendance-title = 📋 <b>Відвідування: #{ $id } { $title }</b>
attendance-counts =
    Запрошено: { $invited } · відповіли «так»: { $yes }
    Присутні: <b>{ $present }</b> (з них без «так»: { $walkin })
    Відсутні: { $absent } · відповіли «так», але не позначені: { $noshow }
attendance-legend = Натисніть ім’я, щоб перемкнути ✅ присутні / ❌ відсутні (▫️ не позначено).
attendance-page = Сторінка { $page } з { $pages }
attendance-empty = Ще ніхто не відповів і нікого не позначено присутнім.
attendance-btn-all-yes = ✅ Усі, хто відповів «так», присутні
attendance-btn-rest-absent = ❌ Решта відсутні
attendance-btn-settings = ⚙️ Налаштування
attendance-btn-qr = 🔳 QR для позначки присутності
attendance-btn-issue = 🎓 Надіслати сертифікати зараз
attendance-btn-report = 📊 Звіт
attendance-btn-back = ◀ Назад
attendance-marked = Позначено: { $count } { $count ->
        [one] особу
        [few] особи
        [many] осіб
       *[other] особи
    }.
attendance-issued = 🎓 Сертифікати надсилаються: { $count } { $count ->
        [one] учаснику
        [few] учасникам
        [many] учасникам
       *[other] учасникам
    }.
attendance-issued-none = Ніхто не чекає на сертифікат: усі, кого позначено присутніми, вже його мають (або нікого не позначено).
attendance-checkin-qr =
    🔳 <b>Позначка присутності: { $title }</b>
    Покажіть цей код на вході. Він діє з { $opens } до { $closes }.
    { $link }

## Налаштування заходу
attendance-settings-title = ⚙️ <b>Налаштування: #{ $id } { $title }</b>
attendance-settings-offer-off = Список очікування: звільнене місце одразу переходить до наступної людини.
attendance-settings-offer = Список очікування: звільнене місце пропонується наступній людині, яка має { $hours } { $hours ->
        [one] годину
        [few] години
        [many] годин
       *[other] години
    } на підтвердження.
attendance-settings-audience-auto = Анкета: присутнім; якщо нікого не позначено, тим, хто відповів «так».
attendance-settings-audience-present = Анкета: лише позначеним присутніми.
attendance-settings-audience-yes = Анкета: усім, хто відповів «так», і всім присутнім.
attendance-settings-certs-after-event = Сертифікати: надсилаються присутнім після завершення заходу.
attendance-settings-certs-after-survey = Сертифікати: надсилаються присутнім, коли вони заповнять анкету.
attendance-settings-certs-off = Сертифікати: автоматично не надсилаються.
attendance-btn-offer-off = Без пропозицій
attendance-btn-offer-hours = Пропонувати { $hours } год
attendance-btn-audience-auto = Анкета: автоматично
attendance-btn-audience-present = … лише присутнім
attendance-btn-audience-yes = … усім «так»
attendance-btn-certs-after-event = Сертифікати: після заходу
attendance-btn-certs-after-survey = … після анкети
attendance-btn-certs-off = … не надсилати
attendance-settings-saved = Збережено.
