"""Fixed strings of the compiled report, per language; status labels live in domain/status.py."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "sv": {
        "title": "Uppsiktsrapport till kommunstyrelsen",
        "period": "Tertial {tertial} {year}",
        "generated": "Skapad {date}",
        "page_footer": "Sida {page} av {pages}",
        "summary_title": "Sammanfattning",
        "summary_totals": (
            "Perioden omfattar {total} aktiviteter: {reported} har rapporterats "
            "och {missing} saknar rapport."
        ),
        "counts_title": "Status per målområde",
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
        "unplaced_title": "Text som inte kunde knytas till en aktivitet",
        "unplaced_without_goal_title": "Text som inte kunde knytas till ett mål",
        "chapter2_title": "Kommunstyrelsens mål",
        "chapter2_intro": (
            "Här listas samtliga mål kommunstyrelsen antagit för {year}, "
            "samt verksamhetsmål för god ekonomisk hushållning."
        ),
        "goals_in_area": "Mål inom målområde {area}",
    },
    "en": {
        "title": "Follow-up report to the executive board",
        "period": "Tertial {tertial}, {year}",
        "generated": "Generated {date}",
        "page_footer": "Page {page} of {pages}",
        "summary_title": "Summary",
        "summary_totals": (
            "The period covers {total} activities: {reported} have been reported "
            "and {missing} have no report."
        ),
        "counts_title": "Status by goal area",
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
        "unplaced_title": "Text that could not be linked to an activity",
        "unplaced_without_goal_title": "Text that could not be linked to a goal",
        "chapter2_title": "The executive board's goals",
        "chapter2_intro": (
            "This chapter lists all goals the executive board adopted for {year}, "
            "and the council's goals for sound finances."
        ),
        "goals_in_area": "Goals in goal area {area}",
    },
}


def t(language: str, key: str, **kwargs: object) -> str:
    """Return the fixed string `key` in `language`, with `{placeholders}` filled from kwargs."""
    try:
        messages = MESSAGES[language]
    except KeyError:
        raise ValueError(f"unknown language {language!r} (known: {', '.join(MESSAGES)})") from None
    # A missing key is a programming error: fail loudly rather than print the key.
    text = messages[key]
    return text.format(**kwargs) if kwargs else text
