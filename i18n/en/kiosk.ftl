# Civic Kiosk: the kiosk's own words in English.
# Content pack texts (services, journeys) live in the pack, not here.

language-name = English
language-switch = Show the kiosk in English
demo-tag = DEMO: a fictional council

## Attract screen
attract-subtitle = Find out what to do about council services, one question at a time. Nothing you tell us is kept.
attract-touch = Touch to start
attract-choose-language = Or choose your language
attract-farewell = Thank you. Everything you told the kiosk has been deleted.

## Home and categories
home-title = What do you need help with?
home-hint = Tap a topic. You can go back or start again at any time.
home-how-to-use = How to use this kiosk
home-hint-or-tap = Or tap a topic. You can go back or start again at any time.
category-hint = { $count ->
    [one] There is { $count } service here. Tap it to start.
   *[other] There are { $count } services here. Tap the one you need.
}

## Ask box: the visitor types what they need
ask-box = Type it here, for example: my bin was not emptied
ask-box-name = What do you need help with? Type it here
ask-box-button = Ask
ask-unavailable = Typing a question is not available on this kiosk right now. Tap a topic instead.
ask-hint = Type a few words with the keys below, then tap Ask.
ask-privacy = What you type is not kept.
ask-entry-name = What you have typed
ask-submit = Ask
ask-thinking = Thinking…
ask-error-empty = Type what you need help with first, using the keys below.
keyboard-clear = Clear
keyboard-apostrophe = Apostrophe
keyboard-hyphen = Hyphen
clarify-title = Did you mean…?
clarify-hint = Tap the one you need.
clarify-other = Something else
no-match-title = Sorry, I can't help with that here
no-match-body = This kiosk helps with council services, like bins, Council Tax, housing and parking. You can look through all the services, ask in different words, or talk to a member of staff.
no-match-browse = Browse all services
no-match-staff = Talk to staff
no-match-retry = Try asking again

## Speech: the microphone and read aloud
speech-speak = Speak
speech-speak-name = Speak instead of tapping or typing
speech-listening = Listening… tap to stop
speech-level-name = How loudly the microphone hears you
speech-ask-hint = Or tap Speak and say what you need. What you say is not kept.
speech-unavailable-language = You cannot ask by speaking in English yet. Type your question instead.
speech-did-you-say = Did you say: “{ $words }”?
speech-did-you-say-yes = Yes
speech-did-you-say-no = No, try again
speech-not-caught-ask = Sorry, I didn't catch that. Tap Speak to try again, or type it.
speech-not-caught-choice = Sorry, I didn't catch that. Please tap your answer or try again.
speech-failed = Speaking is not working on this kiosk right now. Please tap or type instead.
speech-read-aloud = Read aloud
speech-read-aloud-name = Read this page aloud
# Not shown: words that also answer a Yes or No option when spoken, separated by commas
# (the option's own label always counts).
speech-yes-words = yes, yeah, yep, correct
speech-no-words = no, nope, not really

## Navigation, on every page
nav-back = Back
nav-start-again = Start again
nav-staff = Get help from staff
page-continue = Continue

## Postcode entry
keyboard-space = Space
keyboard-delete = Delete
postcode-error-empty = Enter your postcode
postcode-error-format = Enter a full UK postcode, like AN1 2TW

## Check your answers
check-title = Check your answers
check-change = Change
check-change-named = Change your answer to: { $question }
check-confirm = Continue

## Outcome
outcome-urgent = Act now
outcome-staff-coming = A member of staff has been asked to come and help you now.
outcome-steps = What to do next
outcome-bring = What to bring
outcome-where = Where to go
outcome-when = When
outcome-qr = Continue on your phone
outcome-print = Print this
outcome-finished = Finished
outcome-printed = Printing now. Please collect your printout from the printer.
outcome-saved-pdf = There is no printer on this kiosk. A copy has been saved for staff: ask at the help desk.
outcome-print-failed = Printing did not work. Please ask a member of staff.
bins-title = Your next collections
bins-for-postcode = For { $postcode }
bins-moved = (moved from { $date }: { $reason })

## Staff help
staff-title = Help is on its way
staff-body = We have told a member of staff that you need help. They will come to this kiosk.
staff-carry-on = You can carry on using the kiosk while you wait.
staff-phone = You can also phone the council on { $number }.
staff-out-of-hours = If the office is closed and it is an emergency, phone { $number }.
staff-carry-on-button = Carry on
alert-text = STAFF: a visitor at this kiosk has asked for help.
alert-dismiss = Staff: dismiss
alert-ask-unavailable = STAFF: the Ask box is off because the intent model is missing or damaged. See the kiosk log.
alert-storage-unavailable = STAFF: the kiosk cannot save to its disk; visits carry on without saving. See the kiosk log.
alert-storage-replaced = STAFF: the kiosk's storage key or database was damaged and has been replaced; older saved visits cannot be read. See the kiosk log.

## Idle warning
idle-title = Do you need more time?
idle-countdown = { $seconds ->
    [one] For your privacy, this visit will end in { $seconds } second.
   *[other] For your privacy, this visit will end in { $seconds } seconds.
}
idle-yes = Yes, I need more time
idle-end = No, finish now

## Satisfaction
satisfaction-title = How was your visit today?
satisfaction-hint = Tap a face. Your answer is anonymous.
satisfaction-good = Good
satisfaction-ok = OK
satisfaction-poor = Poor
satisfaction-skip = Skip this question
