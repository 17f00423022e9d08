# The command line (python -m bot ...). It prints these in English; every language has
# them so that the catalogs stay complete.

cli-event-slug-missing = The event file has no slug: add a line like slug = "{ $example }", so that importing the file again updates this event instead of creating a second one.
cli-event-changed = Changed: { $fields }; { $count ->
    [one] { $count } participant will be told.
   *[other] { $count } participants will be told.
}
cli-retention-due = { $count ->
    [one] { $count } participant is
   *[other] { $count } participants are
} past the { $months }-month retention period.
cli-retention-done = { $count ->
    [one] { $count } participant forgotten
   *[other] { $count } participants forgotten
} (retention period { $months ->
    [one] { $months } month
   *[other] { $months } months
}).
cli-export-done = { $answers ->
    [one] { $answers } answer
   *[other] { $answers } answers
} from { $events ->
    [one] { $events } event
   *[other] { $events } events
}
cli-privacy-ambiguous = { $count } people match “{ $query }”; give one of these ids:
cli-privacy-not-found = Nobody matches “{ $query }” (give an id, an e-mail address or a name).
cli-demo-participants = { $count ->
    [one] { $count } participant opens
   *[other] { $count } participants open
} the link, agree, register and answer...
cli-demo-no-answers = Nobody said yes, so there are no questionnaire answers to score.
cli-demo-survey-out = The questionnaire opens and goes out through the outbox to { $count ->
    [one] { $count } participant who said yes; they answer
   *[other] { $count } participants who said yes; they answer
} one question at a time...
