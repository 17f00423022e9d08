# The funder's report (bot/reports.py), keys added for its anonymity, NPS and event table.
report-col-time = Time
report-col-hours = Hours
report-col-rated-top = Rated 4–5
report-col-promoters = Promoters (9–10)
report-col-passives = Passives (7–8)
report-col-detractors = Detractors (0–6)
report-col-nps = NPS
report-col-unfinished = Started, not finished
report-scale = { $low } = { $low_label } … { $high } = { $high_label }
report-ratings = Ratings (scale 1–5)
report-chart = Distribution of answers (1–5)
report-section-nps = Recommendation (NPS, scale 0–10)
report-nps-how = NPS = the share of promoters (9–10) minus the share of detractors (0–6), from −100 to +100.
report-n-note = { $unfinished ->
    [0] n = how many people answered the question. It can be lower than the number of completed questionnaires, as optional questions may be skipped.
   *[other] n = how many people answered the question. It can be lower than the number of completed questionnaires, as optional questions may be skipped, and it includes answers from { $unfinished } { $unfinished ->
        [one] questionnaire
       *[other] questionnaires
    } begun but not finished.
}
report-privacy-note = The results are anonymised, as participants were told when they gave their consent: no names are shown beside scores or comments, and organisations with fewer than { $min } respondents are not shown apart.
report-merged-note = Organisations with fewer than { $min } respondents are shown together as “Other organisations” ({ $count } { $count ->
    [one] organisation
   *[other] organisations
} in that row).
report-suppressed-note = The answers of { $count } { $count ->
    [one] respondent
   *[other] respondents
} from organisations with fewer than { $min } respondents are not shown by organisation: even together they are fewer than { $min }. Their answers are included in the results above.
report-sheet-nps = NPS
report-sheet-organisations = By organisation
report-comments-anonymous = Comments are shown as written, without names or organisations.
report-topped-up-note = Together they still had too few respondents (fewer than { $min }), so the smallest of the organisations otherwise shown apart is counted with them: no group's answers can be worked out from the totals.
