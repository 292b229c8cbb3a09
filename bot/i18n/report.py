"""The compiled report's fixed strings; status labels live in bot/domain/status.py."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "sv": {
        "returns_title": "Återremiss av version {version}: utskottets skäl och svaren",
        "returns_reasons": "Utskottets skäl för rapporten som helhet:",
        "col_reason": "Utskottets skäl",
        "col_before": "Vid återremissen",
        "col_now": "Nu",
        "answer_changed": "ändrad",
        "answer_unchanged": "oförändrad",
        "history_title": "Ärendets gång",
        "history_line": "Version {version}, {date}: {decision}",
        "history_new_deadline": "ny sista dag {deadline}",
        "history_board": "till kommunstyrelsens sammanträde {meeting}, föredras av {presenter}",
        "decision_approved": "godkänd, ärendet avslutat",
        "decision_returned": "återremitterad för komplettering",
        "decision_referred": "överlämnad till kommunstyrelsen",
        "decision_chair_presenter": "utskottets ordförande",
        "title": "Uppsiktsrapport till {recipient}",
        "document_title": "{title}, {period}",
        "report_binary_terminal": (
            "{fmt} är ett binärt format: ange -o FIL (eller styr om utdata)."
        ),
        "report_unknown_extension": (
            "Vet inte vilket format {path} ska få: filändelsen {suffix} är okänd. Ange --format "
            "(md, html, json, pdf eller docx) eller en fil som slutar på {extensions}."
        ),
        "report_format_mismatch": (
            "--format {fmt} passar inte filen {path}: filändelsen {suffix} är formatet "
            "{expected}. Ändra --format eller filnamnet."
        ),
        "report_no_municipality": (
            "Obs: UPPSIKT_MUNICIPALITY är inte satt, så rapporten visar inget kommunnamn."
        ),
        "period": "Tertial {tertial} {year}",
        "generated": "Skapad {date}",
        "page_footer": "Sida {page} av {pages}",
        "summary_title": "Sammanfattning",
        "summary_totals": (
            "Perioden omfattar {total} aktiviteter: {reported} har rapporterats "
            "och {missing} saknar rapport."
        ),
        "counts_title": "status per målområde",
        "col_area": "Målområde",
        "col_missing": "Ej rapporterad",
        "col_total": "Totalt",
        "all_areas": "Alla målområden",
        "attention_title": "Avvikelser och vänteläge",
        "attention_none": "Inga aktiviteter har avvikelse eller är i vänteläge.",
        "missing_title": "Saknade rapporter per enhet",
        "missing_none": "Alla aktiviteter har rapporterats.",
        "no_unit": "Ingen enhet angiven",
        "label_goal": "Mål",
        "label_units": "Enheter",
        "label_purpose": "Syfte",
        "label_status": "Status",
        "label_comment": "Kommentar",
        "chapter1_title": "Redovisning av arbete för de politiska målen",
        "col_activities": "Verksamhetens aktiviteter",
        "col_start": "Startdatum",
        "col_end": "Slutdatum",
        "no_date": "–",
        "no_status": "Ingen status rapporterad",
        "chapter2_title": "Kommunstyrelsens mål",
        "chapter2_intro": (
            "Här listas samtliga mål kommunstyrelsen antagit för {year}, "
            "samt verksamhetsmål för god ekonomisk hushållning."
        ),
        "goals_in_area": "Mål inom målområde {area}",
        "cover_kind": "Uppsiktsrapport",
        "cover_recipient": "Till",
        "cover_period": "Period",
        "cover_date": "Datum",
        "tertial_months_1": "januari–april",
        "tertial_months_2": "maj–augusti",
        "tertial_months_3": "september–december",
        "toc_title": "Innehåll",
        "glance_title": "Status i korthet",
        "chart_total": "Totalt {count}",
        "chart_alt": "Stapeldiagram, {title}. {areas}.",
        "chart_alt_area": "{area}: {activities} ({counts})",
        "changes_title": "Förändringar sedan {previous}",
        "changes_compared": (
            "Jämförelsen gäller rapportens {total} aktiviteter; {compared} av dem "
            "rapporterades {previous}."
        ),
        "changes_none": "Inga förändringar sedan {previous}.",
        "changes_not_reported": "ej rapporterad",
        "planning_title": "Planeringskontroll",
        "planning_intro": (
            "Varje enhet ska planera minst {minimum} aktiviteter mot kommunstyrelsens mål och "
            "aktiviteter mot kommunfullmäktiges verksamhetsmål för god ekonomisk hushållning. "
            "Kontrollen gäller de {units} enheter som är ansvariga för någon aktivitet."
        ),
        "planning_too_few": "{units} har färre än {minimum} aktiviteter mot kommunstyrelsens mål.",
        "planning_too_few_none": (
            "Alla enheter har minst {minimum} aktiviteter mot kommunstyrelsens mål."
        ),
        "planning_no_finance": (
            "{units} har ingen aktivitet mot verksamhetsmålet för god ekonomisk hushållning."
        ),
        "planning_no_finance_none": (
            "Alla enheter har minst en aktivitet mot verksamhetsmålet för god ekonomisk "
            "hushållning."
        ),
        "col_unit": "Enhet",
        "col_board_goals": "Aktiviteter mot kommunstyrelsens mål",
        "col_finance_goal": "Aktiviteter mot god ekonomisk hushållning",
        "planning_no_finance_goal": (
            "Kommunfullmäktige har inget verksamhetsmål för god ekonomisk hushållning för "
            "{year}; den delen av kontrollen utgår."
        ),
        "summary_no_activities": "Perioden har inga aktiviteter.",
        "summary_none_reported": (
            "Perioden omfattar {total} aktiviteter. Ingen av dem har rapporterats ännu."
        ),
        "summary_changes": (
            "Sedan {previous} har {activities} fått ändrad status: nya avvikelser {new_deviations}, "
            "avslutade {completed}, rapporterades {previous} men inte nu {not_reported_now}."
        ),
        "attention_nothing_reported": (
            "Ingen aktivitet har rapporterats ännu, så det finns inga avvikelser att visa."
        ),
        "label_previous": "{previous}: {status}",
        "col_activity": "Aktivitet",
        "col_missing_activities": "Aktiviteter utan rapport",
        "changes_listed_above": (
            "Aktiviteter med avvikelse, i vänteläge eller utan rapport står i listorna ovan, "
            "med sin status från {previous}."
        ),
        "changes_none_other": "Inga andra aktiviteter har ändrad status sedan {previous}.",
        "planning_nothing": "Perioden har inga aktiviteter, så det finns inga enheter att kontrollera.",
        "activities_one": "{count} aktivitet",
        "activities_other": "{count} aktiviteter",
        "units_one": "{count} enhet",
        "units_other": "{count} enheter",
    },
    "en": {
        "returns_title": "Version {version} returned: the committee's reasons and the answers",
        "returns_reasons": "The committee's reasons for the report as a whole:",
        "col_reason": "The committee's reason",
        "col_before": "When returned",
        "col_now": "Now",
        "answer_changed": "changed",
        "answer_unchanged": "unchanged",
        "history_title": "History of the case",
        "history_line": "Version {version}, {date}: {decision}",
        "history_new_deadline": "new deadline {deadline}",
        "history_board": "to the executive board's meeting on {meeting}, presented by {presenter}",
        "decision_approved": "approved, the case is closed",
        "decision_returned": "returned for completion",
        "decision_referred": "referred to the executive board",
        "decision_chair_presenter": "the committee's chair",
        "title": "Follow-up report to {recipient}",
        "document_title": "{title}, {period}",
        "report_binary_terminal": (
            "{fmt} is a binary format: give -o FILE (or redirect the output)."
        ),
        "report_unknown_extension": (
            "Cannot tell which format {path} should have: the extension {suffix} is unknown. "
            "Give --format (md, html, json, pdf or docx) or a file ending in {extensions}."
        ),
        "report_format_mismatch": (
            "--format {fmt} does not fit the file {path}: the extension {suffix} is the "
            "{expected} format. Change --format or the file name."
        ),
        "report_no_municipality": (
            "Note: UPPSIKT_MUNICIPALITY is not set, so the report shows no municipality name."
        ),
        "period": "Tertial {tertial}, {year}",
        "generated": "Generated {date}",
        "page_footer": "Page {page} of {pages}",
        "summary_title": "Summary",
        "summary_totals": (
            "The period covers {total} activities: {reported} have been reported "
            "and {missing} have no report."
        ),
        "counts_title": "status by goal area",
        "col_area": "Goal area",
        "col_missing": "Not reported",
        "col_total": "Total",
        "all_areas": "All goal areas",
        "attention_title": "Deviations and on hold",
        "attention_none": "No activity is deviating or on hold.",
        "missing_title": "Missing reports by unit",
        "missing_none": "All activities have been reported.",
        "no_unit": "No unit given",
        "label_goal": "Goal",
        "label_units": "Units",
        "label_purpose": "Purpose",
        "label_status": "Status",
        "label_comment": "Comment",
        "chapter1_title": "Report on the work towards the political goals",
        "col_activities": "Planned activities",
        "col_start": "Start date",
        "col_end": "End date",
        "no_date": "–",
        "no_status": "No status reported",
        "chapter2_title": "The executive board's goals",
        "chapter2_intro": (
            "This chapter lists all goals the executive board adopted for {year}, "
            "and the council's goals for sound finances."
        ),
        "goals_in_area": "Goals in goal area {area}",
        "cover_kind": "Follow-up report",
        "cover_recipient": "To",
        "cover_period": "Period",
        "cover_date": "Date",
        "tertial_months_1": "January–April",
        "tertial_months_2": "May–August",
        "tertial_months_3": "September–December",
        "toc_title": "Contents",
        "glance_title": "Status at a glance",
        "chart_total": "Total {count}",
        "chart_alt": "Bar chart, {title}. {areas}.",
        "chart_alt_area": "{area}: {activities} ({counts})",
        "changes_title": "Changes since {previous}",
        "changes_compared": (
            "The comparison covers the report's {total} activities; {compared} of them were "
            "reported in {previous}."
        ),
        "changes_none": "No changes since {previous}.",
        "changes_not_reported": "not reported",
        "planning_title": "Planning check",
        "planning_intro": (
            "Every unit is to plan at least {minimum} activities toward the executive board's "
            "goals, and activities toward the council's goals for sound finances. The check "
            "covers the {units} units responsible for any activity."
        ),
        "planning_too_few": "{units} have fewer than {minimum} activities toward the board's goals.",
        "planning_too_few_none": (
            "Every unit has at least {minimum} activities toward the board's goals."
        ),
        "planning_no_finance": "{units} have no activity toward the goal for sound finances.",
        "planning_no_finance_none": (
            "Every unit has at least one activity toward the goal for sound finances."
        ),
        "col_unit": "Unit",
        "col_board_goals": "Activities toward the board's goals",
        "col_finance_goal": "Activities toward sound finances",
        "planning_no_finance_goal": (
            "The council adopted no goal for sound finances for {year}; that part of the check "
            "does not apply."
        ),
        "summary_no_activities": "The period has no activities.",
        "summary_none_reported": (
            "The period covers {total} activities. None of them has been reported yet."
        ),
        "summary_changes": (
            "Since {previous}, {activities} changed status: new deviations {new_deviations}, "
            "completed {completed}, reported in {previous} but not now {not_reported_now}."
        ),
        "attention_nothing_reported": (
            "No activity has been reported yet, so there are no deviations to show."
        ),
        "label_previous": "{previous}: {status}",
        "col_activity": "Activity",
        "col_missing_activities": "Activities without a report",
        "changes_listed_above": (
            "Activities deviating, on hold or without a report are in the lists above, with "
            "their status in {previous}."
        ),
        "changes_none_other": "No other activity changed status since {previous}.",
        "planning_nothing": "The period has no activities, so there are no units to check.",
        "activities_one": "{count} activity",
        "activities_other": "{count} activities",
        "units_one": "{count} unit",
        "units_other": "{count} units",
    },
}
