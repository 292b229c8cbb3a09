"""Messages about settings: what is wrong with a value, named by its variable."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "sv": {
        "settings_invalid": "Ogiltiga inställningar:",
        "setting_invalid": "värdet är ogiltigt",
        "setting_database_url": "måste börja med sqlite:// eller postgresql:// (angivet: {url})",
        "setting_timezone": "{value} är ingen känd tidszon (IANA, till exempel Europe/Stockholm)",
        "setting_language": "måste vara något av {allowed} (angivet: {value})",
        "setting_template_dir": "{value} är ingen katalog",
        "setting_url": "måste vara en http- eller https-adress (angivet: {value})",
        "setting_port": "måste vara ett portnummer 0–65535 (angivet: {value})",
        "setting_bot_token": "måste vara en bot-token (den börjar med xoxb-)",
        "setting_app_token": "måste vara en app-token (den börjar med xapp-)",
        "setting_reminder_days": (
            "skriv hela dagar 0–365 före deadline, kommaseparerade utan dubbletter, "
            "till exempel 28,14,7,2,0 (angivet: {value})"
        ),
        "setting_reminder_time": "skriv en tid 07:00–19:59, till exempel 09:00 (angivet: {value})",
        "setting_range": "måste vara ett heltal {low}–{high} (angivet: {value})",
        "setting_on_off": "måste vara on eller off (angivet: {value})",
        "setting_choice": "måste vara något av {allowed} (angivet: {value})",
        "setting_teams_tenant": "TEAMS_TENANT_ID behövs när TEAMS_APP_ID är satt",
    },
    "en": {
        "settings_invalid": "Invalid settings:",
        "setting_invalid": "the value is not valid",
        "setting_database_url": "must start with sqlite:// or postgresql:// (given: {url})",
        "setting_timezone": "{value} is not a known time zone (IANA, for example Europe/Stockholm)",
        "setting_language": "must be one of {allowed} (given: {value})",
        "setting_template_dir": "{value} is not a directory",
        "setting_url": "must be an http or https address (given: {value})",
        "setting_port": "must be a port number 0–65535 (given: {value})",
        "setting_bot_token": "must be a bot token (it starts with xoxb-)",
        "setting_app_token": "must be an app-level token (it starts with xapp-)",
        "setting_reminder_days": (
            "write whole days 0–365 before the deadline, comma-separated without duplicates, "
            "for example 28,14,7,2,0 (given: {value})"
        ),
        "setting_reminder_time": "write a time 07:00–19:59, for example 09:00 (given: {value})",
        "setting_range": "must be a whole number {low}–{high} (given: {value})",
        "setting_on_off": "must be on or off (given: {value})",
        "setting_choice": "must be one of {allowed} (given: {value})",
        "setting_teams_tenant": "TEAMS_TENANT_ID is needed when TEAMS_APP_ID is set",
    },
}
