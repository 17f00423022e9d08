# Командний рядок (python -m bot ...). Він пише англійською; тексти є всіма мовами,
# щоб каталоги були повні.

cli-event-slug-missing = У файлі заходу немає «slug»: додайте рядок, наприклад slug = "{ $example }", щоб повторний імпорт файлу оновлював цей захід, а не створював другий.
cli-event-changed = Змінено: { $fields }; { $count ->
    [one] повідомлення отримає { $count } учасник.
    [few] повідомлення отримають { $count } учасники.
    [many] повідомлення отримають { $count } учасників.
   *[other] повідомлення отримають { $count } учасника.
}
cli-retention-due = Строк зберігання даних ({ $months } міс.) минув для { $count ->
    [one] { $count } учасника
    [few] { $count } учасників
    [many] { $count } учасників
   *[other] { $count } учасника
}.
cli-retention-done = Видалено персональні дані { $count ->
    [one] { $count } учасника
    [few] { $count } учасників
    [many] { $count } учасників
   *[other] { $count } учасника
} (строк зберігання – { $months } міс.).
cli-export-done = { $answers ->
    [one] { $answers } відповідь
    [few] { $answers } відповіді
    [many] { $answers } відповідей
   *[other] { $answers } відповіді
} з { $events ->
    [one] { $events } заходу
    [few] { $events } заходів
    [many] { $events } заходів
   *[other] { $events } заходу
}
cli-privacy-ambiguous = «{ $query }» відповідає { $count ->
    [one] { $count } особа
    [few] { $count } особи
    [many] { $count } осіб
   *[other] { $count } особи
}; вкажіть ID однієї з них:
cli-privacy-not-found = Ніхто не відповідає «{ $query }» (вкажіть ID, адресу електронної пошти або ім’я).
cli-demo-participants = Учасників, які відкривають посилання, погоджуються, реєструються й відповідають: { $count }.
cli-demo-no-answers = Ніхто не відповів «так», тож відповідей анкети для підрахунку немає.
cli-demo-survey-out = Анкета відкривається й через чергу надсилання йде тим, хто відповів «так» (учасників: { $count }); вони відповідають по одному запитанню...
