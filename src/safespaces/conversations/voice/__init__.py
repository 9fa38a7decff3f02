"""The hotline: one provider-neutral call flow, rendered as Twilio TwiML or Africa's Talking XML."""
