# Анкети: анкета після навчання (учасники), результати й експорт (організатори).
cmd-scores = Результати анкет: захід, програма, порівняння
cmd-export = Результати й відповіді у форматі XLSX і CSV
cmd-survey = Анкета: відкрити, закрити, шаблон, анонімність

## Учасники відповідають по одному запитанню
survey-invite = 📝 <b>Як Ви оцінюєте навчання «{ $title }»?</b>
survey-reminder = 📝 <b>Нагадуємо: чекаємо на Вашу думку про «{ $title }»</b>
survey-invite-details = Дайте, будь ласка, відповідь на { $count ->
    [one] { $count } коротке запитання
    [few] { $count } короткі запитання
   *[other] { $count } коротких запитань
}, по одному. Ви можете зупинитися й продовжити пізніше, а також змінити відповіді до { $closes }.
survey-anonymous-note = 🔒 Анкета анонімна: організатори бачать лише загальні результати й коментарі без імен.
survey-named-note = Організатори бачитимуть Ваші відповіді разом із Вашим ім’ям.
survey-btn-start = 📝 Заповнити анкету
survey-btn-continue = 📝 Відповісти зараз
survey-header = 📝 { $title } · <b>{ $current }/{ $total }</b>
survey-optional = <i>(необов’язково)</i>
survey-scale = { $low } – { $low_label }, { $high } – { $high_label }
survey-multi-hint = Позначте всі відповідні варіанти й натисніть «Далі».
survey-text-hint = Напишіть відповідь і надішліть її повідомленням.
survey-your-answer = Ваша відповідь: <b>{ $answer }</b>
survey-skipped = пропущено
survey-btn-back = ◀ Назад
survey-btn-skip = Пропустити ▶
survey-btn-next = Далі ▶
survey-done = ✅ <b>Дякуємо!</b> Ваші відповіді про «{ $title }» збережено.
survey-done-change = Ви можете змінити їх до { $closes }.
survey-btn-change = ✏️ Змінити відповіді
survey-required = На це запитання потрібно відповісти.
survey-required-left = ⚠️ Це запитання обов’язкове: дайте на нього відповідь, щоб завершити анкету.
survey-choose-one = Оберіть принаймні один варіант.
survey-text-too-long = Відповідь задовга: не більше { $max } символів.
survey-unknown = Ця анкета недоступна.
survey-not-open = Ця анкета ще не відкрита.
survey-closed = Ця анкета вже закрита. Дякуємо!
survey-not-for-you = Ця анкета призначена для учасників навчання.

## Організатори: результати
scores-title-event = 📊 <b>Результати: #{ $id } { $title }</b>
scores-title-programme = 📚 <b>Програма: { $title }</b> — { $events ->
    [one] { $events } захід
    [few] { $events } заходи
   *[other] { $events } заходів
}
survey-state-draft = Анкета: ще не відкрита.
survey-state-open = Анкета: відкрита до { $closes }.
survey-state-closed = Анкета: закрита.
scores-responses = Відповіді: заповнили <b>{ $completed }</b>, не завершили { $unfinished }.
scores-rates = Відповіли: { $of_invited } запрошених ({ $invited }) · { $of_yes } тих, хто підтвердив участь ({ $eligible })
scores-overall = ⭐ Загальна оцінка: <b>{ $score }</b> з 5
scores-overall-how = Це середнє із середніх { $count ->
    [one] { $count } оцінювального запитання
   *[other] { $count } оцінювальних запитань
} (1–5); кожне запитання має однакову вагу.
scores-overall-none = ⭐ Загальна оцінка: — (оцінок ще немає)
scores-anonymous = 🔒 Анонімна анкета: імена не показано; організації, де відповідей менше ніж { $min }, об’єднано.
scores-question = <b>{ $number }. { $label }</b>
scores-stats = n { $n } · середнє <b>{ $mean }</b> · медіана { $median } · СВ { $sd } · 4–5: { $top2 }
scores-stats-nps = n { $n } · середнє <b>{ $mean }</b> · медіана { $median } · СВ { $sd } · NPS { $nps }
scores-skipped = пропустили { $count }
scores-no-answers = Відповідей ще немає.
scores-choices = n { $n }
scores-option = { $option }: <code>{ $bar }</code> { $count } ({ $share })
scores-comments = — { $count ->
    [one] { $count } коментар
    [few] { $count } коментарі
   *[other] { $count } коментарів
}
scores-comment = 💬 { $text }
scores-comment-named = 💬 { $text } — <i>{ $name }</i>
scores-comments-more = …і ще { $count } — у файлі експорту (/export).
scores-by-org = <b>За організаціями</b> (загальна оцінка, кількість респондентів)
scores-org-line = { $organisation }: <b>{ $score }</b> ({ $respondents })
scores-org-other = Інші організації (малі групи разом)
scores-org-unknown = (організацію не вказано)
scores-org-hidden = Не показано: { $count ->
    [one] { $count } респондент
    [few] { $count } респонденти
   *[other] { $count } респондентів
} із груп, менших ніж { $min }.
scores-compare-title = ⚖ <b>Порівняння</b>: { $count ->
    [one] { $count } захід
    [few] { $count } заходи
   *[other] { $count } заходів
}
scores-compare-event = <b>#{ $id }</b> { $title } ({ $date }): заповнили { $completed }, загальна оцінка <b>{ $score }</b>
scores-compare-question = <b>{ $label }</b>
scores-compare-cell = <code>#{ $id } { $bar }</code> { $mean } (n { $n })
scores-pick = Які результати показати? Оберіть захід або програму:
scores-nothing = Анкет ще немає. Анкета відкривається після завершення заходу або командою /survey open.
scores-usage = Використання: <code>/scores 12</code> (захід), <code>/scores p3</code> (програма), <code>/scores 12 15 18</code> (порівняння заходів).
scores-too-many = Порівняти можна не більше ніж { $max } заходів.
scores-no-programme = Такої програми немає або в ній немає заходів.
scores-btn-export = 📥 Експорт XLSX/CSV
scores-btn-programme = 📚 Уся програма
scores-btn-compare = ⚖ Порівняти заходи
scores-chart-subtitle = Заповнили: { $completed } · загальна оцінка { $score } з 5
scores-chart-caption = 📊 { $title }
scores-export-usage = Використання: <code>/export 12</code> (захід) або <code>/export p3</code> (програма).
scores-export-caption = 📥 <b>{ $title }</b>: { $rows ->
    [one] { $rows } відповідь
    [few] { $rows } відповіді
   *[other] { $rows } відповідей
}. У файлі — зведення, частка відповідей і по рядку на кожну відповідь.

## Організатори: анкета заходу
survey-usage =
    <b>Анкета заходу</b>
    <code>/survey status 12</code> — стан, шаблон, відповіді
    <code>/survey open 12</code> — відкрити зараз і надіслати тим, хто підтвердив участь
    <code>/survey close 12</code> — закрити; пізніші відповіді не приймаються
    <code>/survey template 12 extended</code> — обрати запитання (поки анкету ще не надіслано)
    <code>/survey anonymous 12 on</code> — увімкнути або вимкнути анонімність (поки анкету ще не надіслано)
    Шаблони: { $templates }
    Без номера заходу покажу список заходів.
survey-org-opened = 📝 Анкета заходу <b>{ $title }</b> відкрита до { $closes }. { $sent ->
    [0] Нових одержувачів немає.
    [one] Надіслано { $sent } учасникові.
   *[other] Надіслано { $sent } учасникам.
}
survey-org-already-closed = Анкету заходу <b>{ $title }</b> закрито; відкрити її знову не можна.
survey-org-closed = 🔒 Анкету заходу <b>{ $title }</b> закрито. { $completed ->
    [one] Заповнено { $completed } анкету.
    [few] Заповнено { $completed } анкети.
   *[other] Заповнено { $completed } анкет.
}
survey-org-status =
    <b>#{ $id } { $title }</b>
    { $state }
    Шаблон: <b>{ $template }</b>, запитань: { $questions } · { $mode }
    Запрошені відповісти: { $recipients } · почали: { $started } · заповнили: { $completed }
survey-mode-anonymous = 🔒 анонімна
survey-mode-named = 👤 з іменами
survey-btn-open = 📝 Відкрити зараз
survey-btn-close = 🔒 Закрити
survey-btn-template = 🧩 Шаблон
survey-org-pick-template = Які запитання поставити учасникам заходу <b>{ $title }</b>?
survey-org-unknown-template = Такого шаблону немає. Доступні: { $templates }
survey-org-locked = Це вже не можна змінити: анкету вже надіслано.
survey-org-template-set = Анкета заходу <b>{ $title }</b>: шаблон <b>{ $template }</b> (запитань: { $questions }; { $mode }).
survey-org-pick-mode = Чи мають організатори бачити, хто що відповів?
survey-org-mode-set = Анкета заходу <b>{ $title }</b>: { $mode }.

## Стовпці й аркуші експорту
scores-export-col-event-id = ID заходу
scores-export-col-event = Захід
scores-export-col-date = Дата
scores-export-col-response = Анкета
scores-export-col-participant = Учасник
scores-export-col-organisation = Організація
scores-export-col-question-id = ID запитання
scores-export-col-question = Запитання
scores-export-col-kind = Тип
scores-export-col-value = Значення
scores-export-col-answer = Відповідь
scores-export-col-answered-at = Час відповіді (UTC)
scores-export-col-n = n
scores-export-col-skipped = Пропустили
scores-export-col-mean = Середнє
scores-export-col-median = Медіана
scores-export-col-sd = Стандартне відхилення
scores-export-col-top2 = Оцінили на 4–5 (%)
scores-export-col-nps = NPS
scores-export-col-distribution = Розподіл
scores-export-col-invited = Запрошено
scores-export-col-eligible = Підтвердили участь
scores-export-col-completed = Заповнили
scores-export-col-unfinished = Не завершили
scores-export-col-rate-invited = Частка від запрошених
scores-export-col-rate-eligible = Частка від тих, хто підтвердив участь
scores-export-col-overall = Загальна оцінка
scores-export-overall = Загальна оцінка (середнє із середніх оцінювальних запитань)
scores-export-sheet-summary = Зведення
scores-export-sheet-responses = Відповіді учасників
scores-export-sheet-answers = Усі відповіді
