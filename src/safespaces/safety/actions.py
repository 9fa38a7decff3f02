"""Every change of state of the safety app, by the names the web, SMS and API layers call.

The actions live in one module per concern (people, contacts, roster, plans, alerts); this
module gathers them. Each is one transaction with its audit event.
"""

from __future__ import annotations

from safespaces.safety.alerts import (
    acknowledge_alert,
    acknowledge_by_phone,
    activate_network,
    add_location,
    add_note,
    claim_alert,
    end_alert_with_pin,
    raise_alert,
    record_call,
    resolve_alert,
)
from safespaces.safety.contacts import (
    add_contact,
    ask_consent_again,
    consent_by_link,
    contact_replied,
    contact_stopped,
    remove_contact,
    update_contact,
)
from safespaces.safety.people import (
    add_staff_membership,
    contacts_by_phone,
    create_person,
    people_looked_up,
    person_by_index,
    person_by_phone,
    remove_staff_membership,
    revoke_panic_link,
    set_pin,
    update_person,
)
from safespaces.safety.plans import (
    CheckInResult,
    check_in,
    create_plan,
    end_plan,
    pause_plan,
    resume_plan,
    start_trip,
)
from safespaces.safety.roster import (
    add_network_member,
    add_shift,
    create_ladder,
    create_network,
    default_ladder,
    on_duty,
    on_duty_numbers,
    remove_network_member,
    remove_shift,
    set_instruction,
    update_ladder,
)
from safespaces.safety.schedule import BadDuration
from safespaces.safety.validation import SafetyInvalid

__all__ = [
    "BadDuration",
    "CheckInResult",
    "SafetyInvalid",
    "acknowledge_alert",
    "acknowledge_by_phone",
    "activate_network",
    "add_contact",
    "add_location",
    "add_network_member",
    "add_note",
    "add_shift",
    "add_staff_membership",
    "ask_consent_again",
    "check_in",
    "claim_alert",
    "consent_by_link",
    "contact_replied",
    "contact_stopped",
    "contacts_by_phone",
    "create_ladder",
    "create_network",
    "create_person",
    "create_plan",
    "default_ladder",
    "end_alert_with_pin",
    "end_plan",
    "on_duty",
    "on_duty_numbers",
    "pause_plan",
    "people_looked_up",
    "person_by_index",
    "person_by_phone",
    "raise_alert",
    "record_call",
    "remove_contact",
    "remove_network_member",
    "remove_shift",
    "remove_staff_membership",
    "resolve_alert",
    "resume_plan",
    "revoke_panic_link",
    "set_instruction",
    "set_pin",
    "start_trip",
    "update_contact",
    "update_ladder",
    "update_person",
]
