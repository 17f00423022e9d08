# Surveys: the questionnaire after a training (participants), scores and exports (organisers).
cmd-scores = Questionnaire scores: an event, a programme, side by side
cmd-export = Scores and answers as XLSX and CSV
cmd-survey = Questionnaire: open, close, template, anonymous mode

## Participants answer, one question at a time
survey-invite = 📝 <b>How was “{ $title }”?</b>
survey-reminder = 📝 <b>A reminder: we would like your opinion of “{ $title }”</b>
survey-invite-details = Please answer { $count ->
    [one] { $count } short question
   *[other] { $count } short questions
}, one at a time. You can stop and continue later, and change your answers until { $closes }.
survey-anonymous-note = 🔒 The questionnaire is anonymous: the organisers see only totals and comments without names.
survey-named-note = The organisers will see your answers together with your name.
survey-btn-start = 📝 Start the questionnaire
survey-btn-continue = 📝 Answer now
survey-header = 📝 { $title } · <b>{ $current }/{ $total }</b>
survey-optional = <i>(optional)</i>
survey-scale = { $low } – { $low_label }, { $high } – { $high_label }
survey-multi-hint = Choose all that apply, then press “Next”.
survey-text-hint = Type your answer and send it as a message.
survey-your-answer = Your answer: <b>{ $answer }</b>
survey-skipped = skipped
survey-btn-back = ◀ Back
survey-btn-skip = Skip ▶
survey-btn-next = Next ▶
survey-done = ✅ <b>Thank you!</b> Your answers about “{ $title }” are saved.
survey-done-change = You can change them until { $closes }.
survey-btn-change = ✏️ Change my answers
survey-required = This question needs an answer.
survey-required-left = ⚠️ This question is required: please answer it to finish.
survey-choose-one = Please choose at least one option.
survey-text-too-long = Please keep your answer under { $max } characters.
survey-unknown = This questionnaire is not available.
survey-not-open = This questionnaire is not open yet.
survey-closed = This questionnaire is closed. Thank you!
survey-not-for-you = This questionnaire is for the participants of the training.

## Organisers: scores
scores-title-event = 📊 <b>Scores: #{ $id } { $title }</b>
scores-title-programme = 📚 <b>Programme: { $title }</b> — { $events ->
    [one] { $events } event
   *[other] { $events } events
}
survey-state-draft = Questionnaire: not opened yet.
survey-state-open = Questionnaire: open until { $closes }.
survey-state-closed = Questionnaire: closed.
scores-responses = Responses: <b>{ $completed }</b> completed, { $unfinished } unfinished.
scores-rates = Response rate: { $of_invited } of the invited ({ $invited }) · { $of_yes } of those who said yes ({ $eligible })
scores-overall = ⭐ Overall score: <b>{ $score }</b> of 5
scores-overall-how = The average of the means of { $count ->
    [one] { $count } rating question
   *[other] { $count } rating questions
} (1–5), each weighing the same.
scores-overall-none = ⭐ Overall score: — (no ratings yet)
scores-anonymous = 🔒 Anonymous questionnaire: no names are shown; organisations with fewer than { $min } respondents are grouped together.
scores-question = <b>{ $number }. { $label }</b>
scores-stats = n { $n } · mean <b>{ $mean }</b> · median { $median } · SD { $sd } · 4–5: { $top2 }
scores-stats-nps = n { $n } · mean <b>{ $mean }</b> · median { $median } · SD { $sd } · NPS { $nps }
scores-skipped = skipped { $count }
scores-no-answers = No answers yet.
scores-choices = n { $n }
scores-option = { $option }: <code>{ $bar }</code> { $count } ({ $share })
scores-comments = — { $count ->
    [one] { $count } comment
   *[other] { $count } comments
}
scores-comment = 💬 { $text }
scores-comment-named = 💬 { $text } — <i>{ $name }</i>
scores-comments-more = …and { $count } more in the export (/export).
scores-by-org = <b>By organisation</b> (overall score, respondents)
scores-org-line = { $organisation }: <b>{ $score }</b> ({ $respondents })
scores-org-other = Other organisations (small groups together)
scores-org-unknown = (organisation not given)
scores-org-hidden = Not shown: { $count ->
    [one] { $count } respondent
   *[other] { $count } respondents
} from groups smaller than { $min }.
scores-compare-title = ⚖ <b>Side by side</b>: { $count ->
    [one] { $count } event
   *[other] { $count } events
}
scores-compare-event = <b>#{ $id }</b> { $title } ({ $date }): { $completed } completed, overall <b>{ $score }</b>
scores-compare-question = <b>{ $label }</b>
scores-compare-cell = <code>#{ $id } { $bar }</code> { $mean } (n { $n })
scores-pick = Which scores? Choose an event or a programme:
scores-nothing = There are no questionnaires yet. A questionnaire opens when its event ends, or with /survey open.
scores-usage = Use: <code>/scores 12</code> (an event), <code>/scores p3</code> (a programme), <code>/scores 12 15 18</code> (events side by side).
scores-too-many = At most { $max } events can be compared side by side.
scores-no-programme = There is no such programme, or it has no events.
scores-btn-export = 📥 Export XLSX/CSV
scores-btn-programme = 📚 Whole programme
scores-btn-compare = ⚖ Events side by side
scores-chart-subtitle = Completed: { $completed } · overall score { $score } of 5
scores-chart-caption = 📊 { $title }
scores-export-usage = Use: <code>/export 12</code> (an event) or <code>/export p3</code> (a programme).
scores-export-caption = 📥 <b>{ $title }</b>: { $rows ->
    [one] { $rows } answer
   *[other] { $rows } answers
}. The workbook has a summary, the response rates and one row per answer.

## Organisers: the questionnaire of an event
survey-usage =
    <b>The questionnaire of an event</b>
    <code>/survey status 12</code> – state, template, responses
    <code>/survey open 12</code> – open it now and send it to those who said yes
    <code>/survey close 12</code> – close it; later answers are refused
    <code>/survey template 12 extended</code> – choose the questions (before it is sent out)
    <code>/survey anonymous 12 on</code> – anonymous mode on or off (before it is sent out)
    Templates: { $templates }
    Without an event number I show a list of events.
survey-org-opened = 📝 The questionnaire of <b>{ $title }</b> is open until { $closes }. { $sent ->
    [0] Nobody new to send it to.
    [one] Sent to { $sent } participant.
   *[other] Sent to { $sent } participants.
}
survey-org-already-closed = The questionnaire of <b>{ $title }</b> is closed; it cannot be opened again.
survey-org-closed = 🔒 The questionnaire of <b>{ $title }</b> is closed. { $completed ->
    [one] { $completed } completed response.
   *[other] { $completed } completed responses.
}
survey-org-status =
    <b>#{ $id } { $title }</b>
    { $state }
    Template: <b>{ $template }</b>, questions: { $questions } · { $mode }
    Asked to answer: { $recipients } · started: { $started } · completed: { $completed }
survey-mode-anonymous = 🔒 anonymous
survey-mode-named = 👤 with names
survey-btn-open = 📝 Open now
survey-btn-close = 🔒 Close
survey-btn-template = 🧩 Template
survey-org-pick-template = Which questions for <b>{ $title }</b>?
survey-org-unknown-template = There is no such template. Available: { $templates }
survey-org-locked = This can no longer be changed: the questionnaire has already been sent out.
survey-org-template-set = The questionnaire of <b>{ $title }</b>: template <b>{ $template }</b> (questions: { $questions }; { $mode }).
survey-org-pick-mode = Should the organisers see who answered what?
survey-org-mode-set = The questionnaire of <b>{ $title }</b>: { $mode }.

## Export columns and sheets
scores-export-col-event-id = Event ID
scores-export-col-event = Event
scores-export-col-date = Date
scores-export-col-response = Response
scores-export-col-participant = Participant
scores-export-col-organisation = Organisation
scores-export-col-question-id = Question ID
scores-export-col-question = Question
scores-export-col-kind = Kind
scores-export-col-value = Value
scores-export-col-answer = Answer
scores-export-col-answered-at = Answered at (UTC)
scores-export-col-n = n
scores-export-col-skipped = Skipped
scores-export-col-mean = Mean
scores-export-col-median = Median
scores-export-col-sd = Standard deviation
scores-export-col-top2 = Rated 4–5 (%)
scores-export-col-nps = NPS
scores-export-col-distribution = Distribution
scores-export-col-invited = Invited
scores-export-col-eligible = Said yes
scores-export-col-completed = Completed
scores-export-col-unfinished = Unfinished
scores-export-col-rate-invited = Share of invited
scores-export-col-rate-eligible = Share of those who said yes
scores-export-col-overall = Overall score
scores-export-overall = Overall score (the average of the rating questions' means)
scores-export-sheet-summary = Summary
scores-export-sheet-responses = Responses
scores-export-sheet-answers = Answers
