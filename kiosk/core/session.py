"""One visitor's session: where they are, what they answered, and the way back.

The session is pure data plus the rules for moving through the pack. The UI
renders ``session.place`` and calls the methods below when the visitor taps;
it never decides navigation itself. Language is a display choice only, so
switching it never loses the visitor's place or answers.

What a visitor types in the Ask box never reaches the session: only the
classifier's decision does (:meth:`Session.apply_result`), and the session keeps
just the intent ids it offers and a count of requests it could not place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from kiosk.core.bins import Collection, find_street, next_collections
from kiosk.core.content import (
    CheckPage,
    ChoicePage,
    ContentPack,
    OutcomePage,
    PostcodePage,
    Service,
    Text,
)
from kiosk.core.postcode import normalise_postcode
from kiosk.nlu.types import Decision, IntentResult

P = TypeVar("P")


class Screen(StrEnum):
    ATTRACT = "attract"
    HOME = "home"
    CATEGORY = "category"
    PAGE = "page"
    STAFF_HELP = "staff_help"
    SATISFACTION = "satisfaction"
    ASK = "ask"
    """The Ask box: the visitor types what they need."""
    CLARIFY = "clarify"
    """Did you mean ... or ...? for two close intents (``Session.clarify``)."""
    NO_MATCH = "no_match"
    """Sorry, I can't help with that here: browse, staff, or ask again."""


@dataclass(frozen=True)
class Place:
    """A screen and what it shows: a tile id for a category, service and page ids for a page."""

    screen: Screen
    tile: str | None = None
    service: str | None = None
    page: str | None = None


@dataclass(frozen=True)
class AnswerRow:
    """One line of a check-your-answers page."""

    page_id: str
    question: Text
    answer: Text


class NotAllowedHere(RuntimeError):
    """A session method was called on a screen where it makes no sense (a UI bug)."""


HOME = Place(Screen.HOME)
ATTRACT = Place(Screen.ATTRACT)


@dataclass
class Session:
    """A visitor's session. Create one per visit; :meth:`wipe` ends it."""

    pack: ContentPack
    language: str = "en"
    stack: list[Place] = field(default_factory=lambda: [ATTRACT])
    answers: dict[str, str] = field(default_factory=dict)
    """Page id -> option value or normalised postcode, for the current service."""
    staff_alert: bool = False
    services_reached: list[str] = field(default_factory=list)
    clarify: tuple[str, str] | None = None
    """The two intent ids a CLARIFY screen offers (never the visitor's words)."""
    not_understood: int = 0
    """How many Ask requests this visit were out of scope: a count, nothing more."""
    prefill: dict[str, str] = field(default_factory=dict)
    """Answers found in what the visitor asked (e.g. ``{"postcode": "AN1 2TW"}``),
    offered on the matching page for the visitor to confirm; wiped with the visit."""

    # --- where we are ---------------------------------------------------

    @property
    def place(self) -> Place:
        return self.stack[-1]

    @property
    def service(self) -> Service | None:
        sid = self.place.service
        return self.pack.services[sid] if sid else None

    @property
    def page(self) -> ChoicePage | PostcodePage | CheckPage | OutcomePage | None:
        service, place = self.service, self.place
        if service is None or place.page is None:
            return None
        return service.page(place.page)

    @property
    def can_go_back(self) -> bool:
        return len(self.stack) > 2  # attract and home are never 'back' targets

    # --- moving ---------------------------------------------------------

    def begin(self, language: str | None = None) -> None:
        """The visitor touched the attract screen (optionally choosing a language)."""
        if language:
            self.set_language(language)
        self.stack = [ATTRACT, HOME]

    def set_language(self, language: str) -> None:
        if language not in self.pack.languages:
            raise ValueError(f"language '{language}' is not offered by this pack")
        self.language = language

    def open_tile(self, tile_id: str) -> str | None:
        """Open a home tile. Returns the action name for action tiles (the UI runs it)."""
        tile = self.pack.tile(tile_id)
        if tile.action:
            if tile.action == "staff":
                self.ask_for_staff()
            return tile.action
        if tile.service:
            self.open_service(tile.service)
        else:
            self._push(Place(Screen.CATEGORY, tile=tile.id))
        return None

    def open_ask(self) -> None:
        """Open the Ask box ("What do you need help with?")."""
        if self.place.screen is not Screen.ASK:
            self._push(Place(Screen.ASK))

    def ask_again(self) -> None:
        """Back to the Ask box from a clarification or "can't help" screen."""
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].screen is Screen.ASK:
                del self.stack[index + 1 :]
                return
        self._push(Place(Screen.ASK))

    def apply_result(self, result: IntentResult, found: dict[str, str] | None = None) -> str | None:
        """Go where the classifier's decision says. Returns an action name for the UI to run.

        CONFIDENT opens the intent's service (or returns its built-in action:
        ``staff`` also raises the staff alert); CLARIFY offers the two best
        intents; OUT_OF_SCOPE, or an intent nothing handles, says the kiosk
        cannot help with that here. ``result.text`` is deliberately not kept;
        ``found`` holds entities taken from it (a postcode) to offer later on.
        """
        self.prefill = dict(found or {})
        if result.decision is Decision.CLARIFY:
            # the two the classifier found close; a third would not be "close"
            close = [a.intent for a in result.alternatives[:2] if self._handles(a.intent)]
            if len(close) == 2:
                self.clarify = (close[0], close[1])
                self._push(Place(Screen.CLARIFY))
                return None
            if close:  # only one of the two is something we can do: just do it
                return self._open_intent(close[0])
        elif result.decision is Decision.CONFIDENT and self._handles(result.intent):
            return self._open_intent(result.intent)
        self._no_match()
        return None

    def choose_intent(self, intent: str) -> str | None:
        """The visitor picked one of the two intents on the clarification screen."""
        if self.place.screen is not Screen.CLARIFY or self.clarify is None:
            raise NotAllowedHere(f"no clarification is on screen, the visitor is on {self.place}")
        if intent not in self.clarify:
            raise ValueError(f"'{intent}' was not offered on the clarification screen")
        return self._open_intent(intent)

    def open_service(self, service_id: str) -> None:
        service = self.pack.services[service_id]
        self.answers = {}
        if service_id not in self.services_reached:
            self.services_reached.append(service_id)
        self._push(Place(Screen.PAGE, service=service.id, page=service.start))

    def choose(self, value: str) -> None:
        """Answer the current choice page with one of its option values."""
        page = self._current(ChoicePage)
        for option in page.options:
            if option.value == value:
                self.answers[page.id] = value
                self._go(option.next)
                return
        raise ValueError(f"'{value}' is not an option on page '{page.id}'")

    def enter_postcode(self, text: str) -> None:
        """Answer a postcode page. Raises :class:`PostcodeError` for a bad postcode."""
        page = self._current(PostcodePage)
        postcode = normalise_postcode(text)
        self.answers[page.id] = postcode
        target = page.next
        if page.lookup == "bin_rounds" and page.not_found:
            rounds = self.pack.bin_rounds
            if rounds is None or find_street(rounds, postcode) is None:
                target = page.not_found
        self._go(target)

    def confirm_answers(self) -> None:
        """Continue from a check-your-answers page."""
        self._go(self._current(CheckPage).next)

    def change_answer(self, page_id: str) -> None:
        """Go back to an earlier question from check-your-answers, keeping the answers."""
        self._current(CheckPage)
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].page == page_id:
                del self.stack[index + 1 :]
                return
        raise ValueError(f"page '{page_id}' was not visited")

    def back(self) -> None:
        if self.can_go_back:
            self.stack.pop()

    def start_again(self) -> None:
        """Back to the home screen; the journey's answers are forgotten."""
        self.answers = {}
        self.clarify = None
        self.prefill = {}
        self.stack = [ATTRACT, HOME]

    def ask_for_staff(self) -> None:
        """Show 'Help is on its way' and raise the staff alert; the visitor can carry on."""
        self.staff_alert = True
        if self.place.screen is not Screen.STAFF_HELP:
            self._push(Place(Screen.STAFF_HELP))

    def dismiss_staff_alert(self) -> None:
        self.staff_alert = False

    def finish(self) -> None:
        """The visitor tapped Finished: ask the one satisfaction question."""
        self.stack = [ATTRACT, Place(Screen.SATISFACTION)]

    def wipe(self) -> None:
        """End the visit: forget everything the visitor told us; show the attract screen.

        A raised staff alert stays until staff dismiss it: it holds nothing about
        the visitor, and someone who asked for help and then walked away (or
        timed out while waiting) must still be looked for.
        """
        self.stack = [ATTRACT]
        self.answers = {}
        self.services_reached = []
        self.clarify = None
        self.not_understood = 0
        self.prefill = {}
        self.language = "en"

    # --- what pages show -------------------------------------------------

    def answer_rows(self) -> list[AnswerRow]:
        """The journey's answers so far, in the order they were given."""
        service = self.service
        rows: list[AnswerRow] = []
        if service is None:
            return rows
        for place in self.stack:
            if place.service != service.id or place.page not in self.answers:
                continue
            page = service.page(place.page)
            value = self.answers[place.page]
            if isinstance(page, ChoicePage):
                label = next(o.label for o in page.options if o.value == value)
                rows.append(AnswerRow(page.id, page.question, label))
            elif isinstance(page, PostcodePage):
                rows.append(AnswerRow(page.id, page.question, {"en": value}))
        return rows

    def collections(self, today: dt.date) -> list[Collection]:
        """Next bin collections for the postcode answered in this journey."""
        rounds = self.pack.bin_rounds
        service = self.service
        if rounds is None or service is None:
            return []
        for page in service.pages:
            if isinstance(page, PostcodePage) and page.id in self.answers:
                street = find_street(rounds, self.answers[page.id])
                if street:
                    return next_collections(rounds, street.round, today)
        return []

    def postcode_answer(self) -> str | None:
        service = self.service
        if service is None:
            return None
        for page in service.pages:
            if isinstance(page, PostcodePage) and page.id in self.answers:
                return self.answers[page.id]
        return None

    # --- internals -------------------------------------------------------

    def _handles(self, intent: str) -> bool:
        return self.pack.service_for_intent(intent) is not None or intent in self.pack.info.actions

    def _open_intent(self, intent: str) -> str | None:
        service = self.pack.service_for_intent(intent)
        if service is not None:
            self.open_service(service.id)
            return None
        action = self.pack.info.actions[intent]
        if action == "staff":
            self.ask_for_staff()
        return action

    def _no_match(self) -> None:
        self.not_understood += 1
        self._push(Place(Screen.NO_MATCH))

    def _push(self, place: Place) -> None:
        self.stack.append(place)

    def _go(self, page_id: str) -> None:
        assert self.place.service is not None
        self._push(Place(Screen.PAGE, service=self.place.service, page=page_id))

    def _current(self, kind: type[P]) -> P:
        page = self.page
        if not isinstance(page, kind):
            raise NotAllowedHere(f"expected a {kind.__name__}, the visitor is on {self.place}")
        return page
