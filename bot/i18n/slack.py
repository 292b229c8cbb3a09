"""The Slack adapter's strings. Parameters are inserted as given: escape user-written text with
`bot.domain.text.escape_mrkdwn` before passing it in."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "sv": {
        # --- replies and modal errors (used by the listeners) ---------------------------------
        "status_required": "Välj en status.",
        "status_unknown": "Statusen känns inte igen. Välj en status i listan.",
        "comment_too_long": "Kommentaren är för lång: {length} tecken, högst {max} får plats.",
        "comment_required": (
            "Skriv en kommentar: den behövs för Pågående med avvikelse, "
            "Avslutad med avvikelse och Vänteläge."
        ),
        "not_reporter": "Du är inte rapportör för någon av aktivitetens enheter, så inget sparades.",
        "period_closed": "Perioden {period} är stängd, så inget sparades.",
        "unknown_activity": "Aktiviteten finns inte längre, så inget sparades.",
        "wrong_period": "Aktiviteten ingår inte i perioden {period}, så inget sparades.",
        "unknown_period": "Perioden {period} finns inte. Skriv den som 2024-T1, 2024-T2 eller 2024-T3.",
        "no_open_period": "Ingen period är öppen för rapportering just nu.",
        "not_secretary": "Det här kan bara utskottssekreteraren göra.",
        "not_admin": "Det här kan bara en administratör göra.",
        "bad_request": "Det gick inte att tolka förfrågan; inget sparades.",
        "not_registered": (
            "Du finns inte med som rapportör i Uppsikt. Hör av dig till en administratör "
            "om du ska rapportera för en enhet."
        ),
        "saved": "Tack! Statusen är sparad: {status}.",
        "publish_started": "Rapporten för {period} sammanställs och publiceras strax.",
        "published": "Rapporten för {period} är publicerad i {channel}.",
        "publish_failed": (
            "Det gick inte att publicera rapporten. Försök igen om en stund, "
            "eller kontakta en administratör."
        ),
        "no_committee_channel": (
            "Ingen kanal för utskottet är inställd, så rapporten kan inte publiceras. "
            "Be en administratör ställa in den."
        ),
        "remind_started": "Påminnelser för {period} skickas nu.",
        "remind_done": (
            "Klart: {sent} påminnelser skickades till {units} enheter. "
            "{unmatched} personer kunde inte hittas i Slack."
        ),
        "unknown_command": "Okänt kommando: {command}. Skriv /uppsikt hjälp för att se vad du kan göra.",
        "usage_report": "Skriv /uppsikt rapport PERIOD, till exempel /uppsikt rapport 2024-T1.",
        "usage_remind": "Skriv /uppsikt påminn PERIOD, till exempel /uppsikt påminn 2024-T2.",
        "usage_deadline": "Skriv /uppsikt deadline PERIOD DATUM TID, till exempel /uppsikt deadline 2024-T2 2024-09-10 16:00.",
        "deadline_set": "Deadline för {period} är nu {deadline}. Påminnelserna följer den nya tiden.",
        # --- shared pieces of the builders ----------------------------------------------------
        "select_status": "Välj status",
        "open_modal": "Status och kommentar…",
        "button_report": "Rapportera",
        "button_change": "Ändra",
        "button_refresh": "Uppdatera",
        "goal": "Mål {number}",
        "goal_unnumbered": "Mål:",
        "dates_from": "från {start}",
        "dates_until": "till {end}",
        "datetime": "{date} kl. {time}",
        "reported_by": "rapporterad av {name}",
        "previous_status": "Förra tertialen:",
        "no_status_yet": "Ingen status rapporterad ännu",
        "missing_status": "Saknar status",
        "progress_missing": "{missing} av {total} aktiviteter saknar status",
        "progress_all_done": "Alla {total} aktiviteter har status",
        "progress_reported": "{reported} av {total} rapporterade",
        "deadline": "senast {deadline}",
        "part": "Del {part} av {parts}",
        "period_is_closed": "Perioden {period} är stängd; statusen kan inte längre ändras.",
        "more": "… och {count} till.",
        "no_activities": "Enheten har inga aktiviteter i perioden.",
        # --- reminder ---------------------------------------------------------------------------
        "reminder_header": "Dags att rapportera för {period}",
        "reminder_header_closed": "Rapportering för {period}",
        "reminder_text": "Dags att rapportera för {period}: {progress} ({unit}).",
        "reminder_text_closed": "Rapportering för {period}: {progress} ({unit}).",
        # --- status modal -----------------------------------------------------------------------
        "modal_title": "Rapportera status",
        "modal_submit": "Spara",
        "modal_close": "Avbryt",
        "modal_period": "Period {period}, {deadline}",
        "modal_status_label": "Status",
        "modal_comment_label": "Kommentar",
        "modal_comment_hint": "Kommentar krävs för {statuses}.",
        "modal_prefilled": "Förifyllt från förra tertialen: ändra det som inte längre stämmer.",
        "modal_current": "Nuvarande status: {status}",
        # --- App Home ---------------------------------------------------------------------------
        "home_greeting": "Hej {name}!",
        "home_greeting_unknown": "Hej!",
        "home_period_open": "*Period {period}* är öppen för rapportering, {deadline}.",
        "home_period_not_open": "Ingen period är öppen just nu (senaste: {period}).",
        "home_no_period": "Ingen period är öppen just nu.",
        "home_no_units": "Du är inte rapportör för någon enhet.",
        "home_more": "… och {count} till; skriv /uppsikt status",
        "home_all_units": "*Alla enheter, {period}*",
        "home_more_units": "… och {count} enheter till.",
        "home_help": "Skriv /uppsikt hjälp för att se vad du kan göra.",
        "home_commands": "Kommandon: {commands}",
        "cmd_report": "rapport",
        "cmd_remind": "påminn",
        "cmd_help": "hjälp",
        "and": "och",
        # --- /uppsikt status --------------------------------------------------------------------
        "overview_title": "*Din rapportering för {period}*, {deadline}",
        "overview_text": "Din rapportering för {period}: {progress}.",
        "overview_more": "… och {count} till. Rapportera de här först och skriv /uppsikt status igen.",
        # --- /uppsikt rapport -------------------------------------------------------------------
        "summary_header": "Rapport {period}",
        "chat_summary_totals": "{total} aktiviteter: {reported} rapporterade, {missing} saknar status.",
        "summary_attention": "*Avvikelser och vänteläge ({count})*",
        "summary_attention_none": "Inga aktiviteter har avvikelse eller är i vänteläge.",
        "summary_missing": "*Saknade rapporter per enhet ({count})*",
        "summary_missing_none": "Alla aktiviteter har rapporterats.",
        "summary_missing_unit": "{count} saknar status",
        "summary_text": (
            "Rapport {period}: {reported} av {total} rapporterade, "
            "{attention} med avvikelse eller i vänteläge."
        ),
        "publish_button": "Publicera",
        "publish_with_word_button": "Publicera PDF och Word-fil",
        "publish_confirm_title": "Publicera rapporten?",
        "publish_confirm_text": "Publicera rapporten i utskottets kanal?",
        "publish_confirm_yes": "Publicera",
        "publish_confirm_no": "Avbryt",
        # --- committee channel ------------------------------------------------------------------
        "committee_header": "Uppsiktsrapport {period}",
        "committee_intro": "Till {committee}. Hela rapporten finns i filen.",
        "committee_text": "Uppsiktsrapport {period} till {committee}.",
        # --- help -------------------------------------------------------------------------------
        "help_header": "Uppsikt: kommandon",
        "help_text": "Uppsikt: kommandon",
        "help_status": (
            "`{command} status`: visa dina aktiviteter i den öppna perioden och rapportera status."
        ),
        "help_report": (
            "`{command} rapport PERIOD`: förhandsgranska uppsiktsrapporten och publicera den "
            "i utskottets kanal (även `report`). Exempel: `{command} rapport {example}`"
        ),
        "help_remind": (
            "`{command} påminn PERIOD`: skicka påminnelser nu till enheter som saknar status "
            "(även `remind`). Exempel: `{command} påminn {example}`"
        ),
        "help_help": "`{command} hjälp`: visa den här hjälpen (även `help`).",
        "help_footer": "Du kan också rapportera direkt i påminnelsen eller under fliken Hem.",
        # --- unmatched people -------------------------------------------------------------------
        "unmatched_title": "*{count} personer fick ingen påminnelse för {period}*",
        "unmatched_intro": (
            "De kunde inte kopplas till en Slack-användare via e-postadressen. "
            "Kontrollera att adressen i Uppsikt är samma som i Slack."
        ),
        "unmatched_none": "Alla personer kunde kopplas till en Slack-användare för {period}.",
        "unmatched_text": "{count} personer fick ingen påminnelse för {period}.",
        "no_email": "ingen e-post",
        # --- administration: App Home, period and schedule modals -----------------------------
        "home_admin": "*Administration*",
        "home_admin_period": "*{period}*, {state}: deadline {deadline}, {progress}",
        "home_admin_no_periods": "Inga perioder ännu.",
        "home_admin_more_periods": (
            "De {shown} senaste perioderna visas; `uppsikt period list` visar alla."
        ),
        "home_schedule": "*Påminnelser:* {days} dagar före kl. {time}",
        "period_state_open": "öppen",
        "period_state_closed": "stängd",
        "button_edit_schedule": "Ändra påminnelser",
        "button_new_period": "Ny period",
        "period_modal_title_edit": "Ändra period",
        "period_modal_title_new": "Ny period",
        "period_modal_period": "Period *{period}*, {state}",
        "period_key_label": "Period",
        "period_key_hint": "Till exempel 2024-T2 (T1 jan–apr, T2 maj–aug, T3 sep–dec).",
        "deadline_date_label": "Deadline, datum",
        "deadline_time_label": "Deadline, klockslag",
        "deadline_time_hint": "Lokal tid ({zone}).",
        "period_state_label": "Rapportering",
        "period_option_open": "Öppen: tar emot rapporter",
        "period_option_closed": "Stängd: tar inte emot rapporter",
        "period_state_hint": "En stängd period kan öppnas igen.",
        "period_key_invalid": "Skriv perioden som 2024-T1, 2024-T2 eller 2024-T3.",
        "period_exists": "Perioden {period} finns redan: ändra den i listan under Administration.",
        "deadline_date_required": "Välj ett datum.",
        "deadline_date_invalid": "Datumet är inte giltigt.",
        "deadline_time_required": "Välj ett klockslag.",
        "deadline_time_invalid": "Klockslaget är inte giltigt.",
        "deadline_time_skipped": (
            "{time} finns inte den dagen (klockan ställs fram en timme). Välj en annan tid."
        ),
        "period_state_invalid": "Välj om perioden är öppen eller stängd.",
        "schedule_modal_title": "Påminnelser",
        "schedule_intro": (
            "Påminnelserna går till enheter som saknar status. En dag som är helg eller helgdag "
            "flyttas till vardagen före, och inget skickas mellan 20:00 och 07:00."
        ),
        "schedule_days_label": "Dagar före deadline",
        "schedule_days_hint": (
            "Hela dagar åtskilda med kommatecken; 0 är deadlinedagen. Till exempel 28,14,7,2,0."
        ),
        "schedule_time_label": "Klockslag",
        "schedule_time_hint": "Lokal tid ({zone}), från 07:00 till 19:59.",
        "schedule_days_invalid": (
            "Skriv hela dagar från 0 till 365 före deadline, åtskilda med kommatecken och "
            "utan dubbletter, till exempel 28,14,7,2,0."
        ),
        "schedule_time_required": "Välj ett klockslag.",
        "schedule_time_invalid": "Välj ett klockslag från 07:00 till 19:59: inget skickas på natten.",
    },
    "en": {
        "status_required": "Choose a status.",
        "status_unknown": "That status is not recognised. Choose one from the list.",
        "comment_too_long": "The comment is too long: {length} characters, at most {max} fit.",
        "comment_required": (
            "Write a comment: it is needed for In progress, deviating, "
            "Completed with deviation and On hold."
        ),
        "not_reporter": "You are not a reporter for any of the activity's units, so nothing was saved.",
        "period_closed": "Period {period} is closed, so nothing was saved.",
        "unknown_activity": "The activity no longer exists, so nothing was saved.",
        "wrong_period": "The activity is not part of period {period}, so nothing was saved.",
        "unknown_period": "Period {period} does not exist. Write it as 2024-T1, 2024-T2 or 2024-T3.",
        "no_open_period": "No period is open for reporting right now.",
        "not_secretary": "Only the committee secretary can do this.",
        "not_admin": "Only an administrator can do this.",
        "bad_request": "The request could not be understood; nothing was saved.",
        "not_registered": (
            "You are not registered as a reporter in Uppsikt. Ask an administrator "
            "if you should report for a unit."
        ),
        "saved": "Thank you! The status is saved: {status}.",
        "publish_started": "The report for {period} is being compiled and will be published shortly.",
        "published": "The report for {period} is published in {channel}.",
        "publish_failed": (
            "The report could not be published. Try again in a while, or contact an administrator."
        ),
        "no_committee_channel": (
            "No committee channel is set, so the report cannot be published. "
            "Ask an administrator to set it."
        ),
        "remind_started": "Reminders for {period} are being sent now.",
        "remind_done": (
            "Done: {sent} reminders were sent to {units} units. "
            "{unmatched} people could not be found in Slack."
        ),
        "unknown_command": "Unknown command: {command}. Type /uppsikt help to see what you can do.",
        "usage_report": "Type /uppsikt report PERIOD, for example /uppsikt report 2024-T1.",
        "usage_remind": "Type /uppsikt remind PERIOD, for example /uppsikt remind 2024-T2.",
        "usage_deadline": "Type /uppsikt deadline PERIOD DATE TIME, for example /uppsikt deadline 2024-T2 2024-09-10 16:00.",
        "deadline_set": "The deadline for {period} is now {deadline}. Reminders follow the new time.",
        "select_status": "Choose status",
        "open_modal": "Status and comment…",
        "button_report": "Report",
        "button_change": "Change",
        "button_refresh": "Refresh",
        "goal": "Goal {number}",
        "goal_unnumbered": "Goal:",
        "dates_from": "from {start}",
        "dates_until": "until {end}",
        "datetime": "{date} at {time}",
        "reported_by": "reported by {name}",
        "previous_status": "Last tertial:",
        "no_status_yet": "No status reported yet",
        "missing_status": "No status",
        "progress_missing": "{missing} of {total} activities have no status",
        "progress_all_done": "All {total} activities have a status",
        "progress_reported": "{reported} of {total} reported",
        "deadline": "due {deadline}",
        "part": "Part {part} of {parts}",
        "period_is_closed": "Period {period} is closed; the status can no longer be changed.",
        "more": "… and {count} more.",
        "no_activities": "The unit has no activities in the period.",
        "reminder_header": "Time to report for {period}",
        "reminder_header_closed": "Reporting for {period}",
        "reminder_text": "Time to report for {period}: {progress} ({unit}).",
        "reminder_text_closed": "Reporting for {period}: {progress} ({unit}).",
        "modal_title": "Report status",
        "modal_submit": "Save",
        "modal_close": "Cancel",
        "modal_period": "Period {period}, {deadline}",
        "modal_status_label": "Status",
        "modal_comment_label": "Comment",
        "modal_comment_hint": "A comment is required for {statuses}.",
        "modal_prefilled": "Prefilled from last tertial: change what is no longer true.",
        "modal_current": "Current status: {status}",
        "home_greeting": "Hello {name}!",
        "home_greeting_unknown": "Hello!",
        "home_period_open": "*Period {period}* is open for reporting, {deadline}.",
        "home_period_not_open": "No period is open right now (latest: {period}).",
        "home_no_period": "No period is open right now.",
        "home_no_units": "You are not a reporter for any unit.",
        "home_more": "… and {count} more; type /uppsikt status",
        "home_all_units": "*All units, {period}*",
        "home_more_units": "… and {count} more units.",
        "home_help": "Type /uppsikt help to see what you can do.",
        "home_commands": "Commands: {commands}",
        "cmd_report": "report",
        "cmd_remind": "remind",
        "cmd_help": "help",
        "and": "and",
        "overview_title": "*Your reporting for {period}*, {deadline}",
        "overview_text": "Your reporting for {period}: {progress}.",
        "overview_more": "… and {count} more. Report these first and type /uppsikt status again.",
        "summary_header": "Report {period}",
        "chat_summary_totals": "{total} activities: {reported} reported, {missing} with no status.",
        "summary_attention": "*Deviations and on hold ({count})*",
        "summary_attention_none": "No activity is deviating or on hold.",
        "summary_missing": "*Missing reports by unit ({count})*",
        "summary_missing_none": "All activities have been reported.",
        "summary_missing_unit": "{count} with no status",
        "summary_text": (
            "Report {period}: {reported} of {total} reported, {attention} deviating or on hold."
        ),
        "publish_button": "Publish",
        "publish_with_word_button": "Publish PDF and Word file",
        "publish_confirm_title": "Publish the report?",
        "publish_confirm_text": "Publish the report in the committee's channel?",
        "publish_confirm_yes": "Publish",
        "publish_confirm_no": "Cancel",
        "committee_header": "Follow-up report {period}",
        "committee_intro": "To {committee}. The full report is in the file.",
        "committee_text": "Follow-up report {period} to {committee}.",
        "help_header": "Uppsikt: commands",
        "help_text": "Uppsikt: commands",
        "help_status": (
            "`{command} status`: show your activities in the open period and report their status."
        ),
        "help_report": (
            "`{command} report PERIOD`: preview the follow-up report and publish it to the "
            "committee's channel (also `rapport`). Example: `{command} report {example}`"
        ),
        "help_remind": (
            "`{command} remind PERIOD`: send reminders now to units with missing statuses "
            "(also `påminn`). Example: `{command} remind {example}`"
        ),
        "help_help": "`{command} help`: show this help (also `hjälp`).",
        "help_footer": "You can also report straight from the reminder or in the Home tab.",
        "unmatched_title": "*{count} people got no reminder for {period}*",
        "unmatched_intro": (
            "They could not be matched to a Slack user by e-mail address. "
            "Check that the address in Uppsikt is the same as in Slack."
        ),
        "unmatched_none": "Everyone could be matched to a Slack user for {period}.",
        "unmatched_text": "{count} people got no reminder for {period}.",
        "no_email": "no e-mail",
        "home_admin": "*Administration*",
        "home_admin_period": "*{period}*, {state}: deadline {deadline}, {progress}",
        "home_admin_no_periods": "No periods yet.",
        "home_admin_more_periods": (
            "The {shown} latest periods are shown; `uppsikt period list` lists them all."
        ),
        "home_schedule": "*Reminders:* {days} days before the deadline at {time}",
        "period_state_open": "open",
        "period_state_closed": "closed",
        "button_edit_schedule": "Change reminders",
        "button_new_period": "New period",
        "period_modal_title_edit": "Change period",
        "period_modal_title_new": "New period",
        "period_modal_period": "Period *{period}*, {state}",
        "period_key_label": "Period",
        "period_key_hint": "For example 2024-T2 (T1 Jan–Apr, T2 May–Aug, T3 Sep–Dec).",
        "deadline_date_label": "Deadline, date",
        "deadline_time_label": "Deadline, time",
        "deadline_time_hint": "Local time ({zone}).",
        "period_state_label": "Reporting",
        "period_option_open": "Open: takes reports",
        "period_option_closed": "Closed: takes no reports",
        "period_state_hint": "A closed period can be opened again.",
        "period_key_invalid": "Write the period as 2024-T1, 2024-T2 or 2024-T3.",
        "period_exists": "Period {period} exists already: change it in the list under Administration.",
        "deadline_date_required": "Choose a date.",
        "deadline_date_invalid": "That is not a valid date.",
        "deadline_time_required": "Choose a time.",
        "deadline_time_invalid": "That is not a valid time.",
        "deadline_time_skipped": (
            "{time} does not exist that day (the clocks go forward an hour). Choose another time."
        ),
        "period_state_invalid": "Choose whether the period is open or closed.",
        "schedule_modal_title": "Reminders",
        "schedule_intro": (
            "Reminders go to units with missing statuses. A day on a weekend or public holiday "
            "moves to the working day before, and nothing is sent between 20:00 and 07:00."
        ),
        "schedule_days_label": "Days before the deadline",
        "schedule_days_hint": (
            "Whole days separated by commas; 0 is the deadline's day. For example 28,14,7,2,0."
        ),
        "schedule_time_label": "Time of day",
        "schedule_time_hint": "Local time ({zone}), from 07:00 to 19:59.",
        "schedule_days_invalid": (
            "Write whole days from 0 to 365 before the deadline, separated by commas and "
            "without duplicates, for example 28,14,7,2,0."
        ),
        "schedule_time_required": "Choose a time.",
        "schedule_time_invalid": "Choose a time from 07:00 to 19:59: nothing is sent at night.",
    },
}
