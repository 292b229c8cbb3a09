"""Messages every surface shares: refusals raised by the services, and the deadline rule."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "sv": {
        "deadline_format": (
            "Deadline {text!r} går inte att tolka. Skriv den som ÅÅÅÅ-MM-DD TT:MM, "
            "till exempel 2024-09-10 16:00."
        ),
        "deadline_nonexistent": (
            "Klockslaget {deadline} finns inte i {zone}: klockan ställs fram då. Välj en annan tid."
        ),
        "deadline_ambiguous": (
            "Klockslaget {deadline} inträffar två gånger i {zone} när klockan ställs tillbaka; "
            "det första tillfället gäller."
        ),
        "deadline_past": (
            "Deadline {deadline} har redan passerats. Bekräfta om den ändå ska gälla."
        ),
        "deadline_outside": (
            "Deadline {deadline} ligger utanför rapporteringen för {period} "
            "({start} till {end}). Bekräfta om den ändå ska gälla."
        ),
    },
    "en": {
        "deadline_format": (
            "The deadline {text!r} cannot be read. Write it as YYYY-MM-DD HH:MM, "
            "for example 2024-09-10 16:00."
        ),
        "deadline_nonexistent": (
            "The time {deadline} does not exist in {zone}: the clocks go forward then. "
            "Choose another time."
        ),
        "deadline_ambiguous": (
            "The time {deadline} happens twice in {zone} when the clocks go back; "
            "the first occurrence applies."
        ),
        "deadline_past": "The deadline {deadline} has already passed. Confirm if it should apply anyway.",
        "deadline_outside": (
            "The deadline {deadline} is outside the reporting of {period} "
            "({start} to {end}). Confirm if it should apply anyway."
        ),
    },
}
