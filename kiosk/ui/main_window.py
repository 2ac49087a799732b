"""The kiosk window: header, staff alert, the current screen, footer, idle warning.

The window owns no navigation rules: it forwards each tap to the core
:class:`~kiosk.core.session.Session` and redraws the screen for the new place.
The Ask box's classifier runs in a worker thread; its answer comes back by
signal and is ignored if the visitor has moved on meanwhile.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QThreadPool, QTimer, Slot
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QScroller,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import Settings
from kiosk.core.clock import Clock
from kiosk.core.content import ChoicePage, ContentPack, OutcomePage, Text
from kiosk.core.i18n import Catalogue
from kiosk.core.idle import IdlePolicy, IdleState
from kiosk.core.postcode import PostcodeError
from kiosk.core.session import Screen, Session
from kiosk.nlu.types import IntentClassifier, IntentResult
from kiosk.speech.grammar import grammar_phrases, match_option
from kiosk.speech.types import Hypothesis
from kiosk.ui import screens
from kiosk.ui.attract import AttractCard
from kiosk.ui.speech_widgets import LOW_CONFIDENCE, MicControls, MicTexts, screen_text, spoken
from kiosk.ui.theme import PALETTE, style_sheet
from kiosk.ui.widgets import button, label
from kiosk.ui.workers import ClassifyJob

if TYPE_CHECKING:  # the controller pulls in numpy: imported only where speech is wired
    from kiosk.ui.speech_controller import SpeechController
    from kiosk.ui.visit_store import VisitRecorder

log = logging.getLogger(__name__)

TOUCH_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}
BARGE_IN_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress}
"""A touch or a key stops reading aloud at once."""

YES_NO_VALUES = ("yes", "no")
"""Options with these values also answer to the language's words for yes and no."""


@dataclass(frozen=True)
class VoiceTarget:
    """What the microphone on the current screen is for.

    ``options`` maps each option's value to its phrases (restricted grammar);
    None means free speech (the Ask screen). ``show`` puts the words heard so
    far on screen (None: under the microphone); ``act`` takes the final words
    (free speech) or the chosen option's value.
    """

    options: Mapping[str, Sequence[str]] | None
    labels: Mapping[str, str]
    show: Callable[[str], None] | None
    act: Callable[[str], None]
    not_caught_key: str


class KioskWindow(QMainWindow):
    """One kiosk screen. Build with the pack, strings, settings and a clock.

    ``classifier`` powers the Ask box; without one the box is shown disabled.
    ``classifier_error`` says a model failed to load: staff are alerted once.
    ``speech`` brings the microphone (where the language has a recogniser) and
    Read aloud; without it the kiosk is touch and text only.
    ``recorder`` keeps the visit's encrypted record (shredded when the visit
    ends); without one the visit lives in memory only. ``storage_alert`` names
    a staff alert key for a storage problem found at start.
    """

    def __init__(
        self,
        settings: Settings,
        pack: ContentPack,
        catalogue: Catalogue,
        clock: Clock,
        *,
        tick_ms: int = 250,
        classifier: IntentClassifier | None = None,
        classifier_error: str | None = None,
        speech: SpeechController | None = None,
        recorder: VisitRecorder | None = None,
        storage_alert: str | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.pack = pack
        self.catalogue = catalogue
        self.clock = clock
        self.session = Session(pack, language=settings.default_language)
        self.classifier = classifier
        self.classifier_error = classifier_error
        self.workers = QThreadPool(self)
        self.workers.setMaxThreadCount(1)
        self._ask_ticket = 0
        self._ask_jobs: list[ClassifyJob] = []
        self.alert_key = "alert-text"
        """Which staff alert text to show: a visitor asked for help, or the Ask box broke."""
        if classifier is None and classifier_error is not None:
            self._alert_ask_unavailable()
        self.recorder = recorder
        if recorder is not None:
            recorder.storage_failed.connect(
                self._storage_failed, Qt.ConnectionType.QueuedConnection
            )
        if storage_alert is not None:
            self.session.staff_alert = True
            self.alert_key = storage_alert
        self.idle = IdlePolicy(clock, settings.idle_after_s, settings.idle_countdown_s)
        self.farewell = False
        self.print_status: QLabel | None = None
        self.first_paint_callbacks: list[Callable[[], None]] = []
        self.speech = speech
        self.mic: MicControls | None = None
        """The current screen's microphone (None when it has none)."""
        self._voice: VoiceTarget | None = None
        self._last_press: int | None = None
        self._press_stopped_speech = False
        if speech is not None:
            speech.listening_changed.connect(self._speech_listening)
            speech.level.connect(self._speech_level)
            speech.partial.connect(self._speech_partial)
            speech.heard.connect(self._speech_heard)
            speech.failed.connect(self._speech_failed)
            speech.availability_changed.connect(self._refresh_speech)
        self.setWindowTitle("Civic Kiosk")
        self.setStyleSheet(style_sheet())

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.header = QWidget()
        self.header.setObjectName("header")
        outer.addWidget(self.header)
        self.alert_bar = QFrame()
        self.alert_bar.setObjectName("staffAlert")
        outer.addWidget(self.alert_bar)
        self.stack = QStackedWidget()
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.stack)
        QScroller.grabGesture(self.scroll.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        outer.addWidget(self.scroll, 1)
        self.footer = QWidget()
        self.footer.setObjectName("footer")
        outer.addWidget(self.footer)
        self.setCentralWidget(central)

        self.overlay = QWidget(central)
        self.overlay.setObjectName("idleOverlay")
        self.overlay.hide()
        self._countdown_label: QLabel | None = None

        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]
        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self.render()

    # --- helpers for screens ------------------------------------------------

    def t(self, key: str, **args: object) -> str:
        return self.catalogue.text(self.session.language, key, **args)

    def pick(self, text: Text) -> str:
        return self.catalogue.pick(self.session.language, text)

    def attract_card(self) -> AttractCard:
        """The attract screen's strings in the current language."""
        return AttractCard(
            council=self.pick(self.pack.info.council.name),
            demo_tag=self.t("demo-tag") if self.pack.info.demo else None,
            subtitle=self.t("attract-subtitle"),
            touch_to_start=self.t("attract-touch"),
            choose_language=self.t("attract-choose-language"),
            languages=tuple(
                (lang, self.catalogue.text(lang, "language-name")) for lang in self.pack.languages
            ),
            farewell=self.t("attract-farewell") if self.farewell else None,
        )

    def announce(self, text: str) -> None:
        """Say something to assistive technology (speech arrives in a later release)."""
        self.setAccessibleDescription(text)

    # --- drawing --------------------------------------------------------------

    def render(self) -> None:
        place = self.session.place
        builders: dict[Screen, Callable[[], QWidget]] = {
            Screen.ATTRACT: lambda: screens.attract(self),
            Screen.HOME: lambda: screens.home(self),
            Screen.CATEGORY: lambda: screens.category(self, place.tile or ""),
            Screen.PAGE: lambda: screens.journey_page(self),
            Screen.STAFF_HELP: lambda: screens.staff_help(self),
            Screen.SATISFACTION: lambda: screens.satisfaction(self),
            Screen.ASK: lambda: screens.ask(self),
            Screen.CLARIFY: lambda: screens.clarify(self),
            Screen.NO_MATCH: lambda: screens.no_match(self),
        }
        self._ask_ticket += 1  # an answer still on its way is for a screen that is gone
        if self.speech is not None:  # words and reading for the old screen stop with it
            self.speech.cancel_listening()
            self.speech.stop_speaking()
        self.mic, self._voice = None, None
        # an announcement (perhaps of words heard) ends with its page
        self.setAccessibleDescription("")
        page = builders[place.screen]()
        page.setObjectName(f"screen_{place.screen.value}")
        old = self.stack.currentWidget()
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()
        self.scroll.verticalScrollBar().setValue(0)
        self._render_header()
        self._render_alert()
        self._render_footer()
        self._refresh_speech()
        if self.overlay.isVisible():
            self._show_idle_warning()
        if self.settings.auto_read and place.screen is not Screen.ATTRACT:
            self.read_aloud()

    def current_screen(self) -> QWidget:
        return self.stack.currentWidget()

    @staticmethod
    def _clear(widget: QWidget) -> None:
        """Remove a container's old layout and child widgets before drawing it again."""
        for child in widget.findChildren(
            QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
        ):
            child.hide()
            child.deleteLater()
        old = widget.layout()
        if old is not None:
            QWidget().setLayout(old)  # reparent the old layout so it is deleted

    def _replace_layout(self, widget: QWidget) -> QHBoxLayout:
        """A fresh layout for a bar; the bar stays hidden until its render shows it."""
        widget.hide()
        self._clear(widget)
        layout = QHBoxLayout(widget)
        layout.setContentsMargins(32, 12, 32, 12)
        layout.setSpacing(16)
        return layout

    def _render_header(self) -> None:
        layout = self._replace_layout(self.header)
        if self.session.place.screen is Screen.ATTRACT:
            return
        name = label(self.pick(self.pack.info.council.name), "h2", wrap=False)
        layout.addWidget(name)
        if self.pack.info.demo:
            layout.addWidget(label(self.t("demo-tag"), "demo", wrap=False))
        site = label(self.settings.site_name, "small", wrap=False)
        site.setObjectName("site_name")
        layout.addWidget(site)
        layout.addStretch(1)
        for lang in self.pack.languages:
            lang_button = button(
                self.catalogue.text(lang, "language-name"),
                lambda lang=lang: self.set_language(lang),
                role="lang",
                name=f"lang_{lang}",
            )
            lang_button.setProperty("current", "true" if lang == self.session.language else "false")
            lang_button.setAccessibleDescription(self.catalogue.text(lang, "language-switch"))
            layout.addWidget(lang_button)
        self.header.show()

    def _render_alert(self) -> None:
        layout = self._replace_layout(self.alert_bar)
        if not self.session.staff_alert:
            return
        layout.addWidget(label(self.t(self.alert_key)), 1)
        layout.addWidget(
            button(
                self.t("alert-dismiss"), self.dismiss_alert, role="secondary", name="dismiss_alert"
            )
        )
        self.alert_bar.show()

    def _render_footer(self) -> None:
        self.footer.hide()
        self._clear(self.footer)
        screen = self.session.place.screen
        if screen in (Screen.ATTRACT, Screen.SATISFACTION):
            return
        outer = QVBoxLayout(self.footer)
        outer.setContentsMargins(32, 12, 32, 12)
        outer.setSpacing(8)
        layout = QHBoxLayout()
        layout.setSpacing(16)
        back = button(
            self.t("nav-back"),
            self.back,
            role="secondary",
            name="back",
            icon="back",
            icon_colour=PALETTE.secondary_button_text,
        )
        back.setEnabled(self.session.can_go_back)
        back.setVisible(self.session.can_go_back)
        layout.addWidget(back)
        if screen is not Screen.HOME:
            layout.addWidget(
                button(
                    self.t("nav-start-again"),
                    self.start_again,
                    role="secondary",
                    name="start_again",
                    icon="restart",
                    icon_colour=PALETTE.secondary_button_text,
                )
            )
        if self.speech is not None and self.speech.can_speak:
            read = button(
                self.t("speech-read-aloud"),
                self.read_aloud_tapped,
                role="secondary",
                name="read_aloud",
                icon="speaker",
                icon_colour=PALETTE.secondary_button_text,
            )
            read.setAccessibleName(self.t("speech-read-aloud-name"))
            layout.addWidget(read)
        layout.addStretch(1)
        if isinstance(self.session.page, OutcomePage):
            # the visitor's next moves stay on screen however long the page is; what
            # printing did shows above the buttons, so they keep their size
            self.print_status = label("", "hint")
            self.print_status.setObjectName("print_status")
            self.print_status.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.print_status.hide()
            outer.addWidget(self.print_status)
            layout.addWidget(
                button(
                    self.t("outcome-print"),
                    self.print_outcome,
                    role="secondary",
                    name="print",
                    icon="print",
                    icon_colour=PALETTE.secondary_button_text,
                )
            )
            layout.addWidget(button(self.t("outcome-finished"), self.finish, name="finished"))
        if screen is not Screen.STAFF_HELP:
            layout.addWidget(
                button(self.t("nav-staff"), self.ask_for_staff, name="staff", icon="staff")
            )
        outer.addLayout(layout)
        self.footer.show()

    # --- visitor actions ---------------------------------------------------------

    def begin(self, language: str | None) -> None:
        self.farewell = False
        self.idle.touched()
        self.session.begin(language)
        if self.recorder is not None:
            self.recorder.start_visit()
        self.render()

    def set_language(self, language: str) -> None:
        self.session.set_language(language)
        self.render()

    def open_tile(self, tile_id: str) -> None:
        self._run_action(self.session.open_tile(tile_id))

    def _run_action(self, action: str | None) -> None:
        """Carry out a built-in action the session handed back (tile, Ask or clarify), redraw."""
        if action == "language":
            others = [lang for lang in self.pack.languages if lang != self.session.language]
            if others:
                self.session.set_language(others[0])
        elif action == "restart":
            self.session.start_again()
        elif action in ("help", "hours") and f"kiosk.{action}" in self.pack.services:
            self.session.open_service(f"kiosk.{action}")
        elif action == "staff":
            self.alert_key = "alert-text"
            log.info("staff alert raised")  # no visitor data: only that help was asked for
        self._after_move()

    # --- the Ask box ------------------------------------------------------------------

    def open_ask(self) -> None:
        if self.classifier is not None:
            self.session.open_ask()
            self.render()

    def ask(self, text: str) -> None:
        """Classify what the visitor typed in a worker; :meth:`_ask_answered` takes it on."""
        if self.classifier is None:
            return
        self._ask_ticket += 1
        job = ClassifyJob(self.classifier, text, self.session.language, self._ask_ticket)
        job.setAutoDelete(False)  # Python keeps it until it is done (see _ask_jobs)
        job.signals.answered.connect(self._ask_answered)
        job.signals.failed.connect(self._ask_failed)
        self._ask_jobs = [j for j in self._ask_jobs if not j.done]
        self._ask_jobs.append(job)
        self.workers.start(job)

    @Slot(int, object)
    def _ask_answered(self, ticket: int, result: object) -> None:
        if ticket != self._ask_ticket or self.session.place.screen is not Screen.ASK:
            return
        assert isinstance(result, IntentResult)
        from kiosk.nlu.entities import find_postcode  # plain Python, no model needed

        postcode = find_postcode(result.text)
        found = {"postcode": postcode} if postcode else {}
        self._record("question", {"text": result.text})
        self._run_action(self.session.apply_result(result, found))

    @Slot(int, str)
    def _ask_failed(self, ticket: int, error: str) -> None:
        """The classifier broke mid-visit: turn the Ask box off, tell staff, go back home."""
        log.error("the intent classifier failed (%s); the Ask box is now off", error)
        self.classifier = None
        self.classifier_error = f"the intent classifier failed ({error})"
        self._alert_ask_unavailable()
        if ticket == self._ask_ticket and self.session.place.screen is Screen.ASK:
            self.session.back()
        self.render()

    @Slot()
    def _storage_failed(self) -> None:
        """Saving stopped working: the visit carries on in memory; staff are told."""
        self.session.staff_alert = True
        self.alert_key = "alert-storage-unavailable"
        log.warning("staff alert raised: visits are no longer saved")
        self._render_alert()

    def _record(self, kind: str, value: dict[str, str]) -> None:
        """Add to the visit's encrypted record (never to a log or a file in clear)."""
        if self.recorder is not None:
            self.recorder.record(kind, value)

    def _alert_ask_unavailable(self) -> None:
        self.session.staff_alert = True
        self.alert_key = "alert-ask-unavailable"
        log.warning("staff alert raised: the Ask box is unavailable")

    def choose_intent(self, intent: str) -> None:
        self._run_action(self.session.choose_intent(intent))

    def ask_again(self) -> None:
        if self.classifier is not None:
            self.session.ask_again()
        else:  # the classifier broke meanwhile: browsing is what is left
            self.session.start_again()
        self.render()

    def intent_title(self, intent: str) -> tuple[str, str]:
        """What a clarification button says for an intent: a service's title and summary."""
        service = self.pack.service_for_intent(intent)
        if service is not None:
            return self.pick(service.title), self.pick(service.summary)
        action = self.pack.info.actions.get(intent)
        if action == "language":
            other = next(
                (lang for lang in self.pack.languages if lang != self.session.language), "en"
            )
            return self.catalogue.text(other, "language-switch"), ""
        keys = {"staff": "no-match-staff", "restart": "nav-start-again", "help": "home-how-to-use"}
        return (self.t(keys[action]) if action in keys else intent), ""

    def open_service(self, service_id: str) -> None:
        self.session.open_service(service_id)
        self._after_move()

    def choose(self, value: str) -> None:
        place = self.session.place
        self.session.choose(value)
        self._record(
            "answer", {"service": place.service or "", "page": place.page or "", "value": value}
        )
        self._after_move()

    def enter_postcode(self, text: str) -> str | None:
        """Returns an error message to show, or None when the journey moved on."""
        place = self.session.place
        try:
            self.session.enter_postcode(text)
        except PostcodeError as exc:
            return self.t(f"postcode-error-{exc.reason}")
        page_id = place.page or ""
        self._record(
            "answer",
            {
                "service": place.service or "",
                "page": page_id,
                "value": self.session.answers.get(page_id, ""),
            },
        )
        self._after_move()
        return None

    def confirm_answers(self) -> None:
        self.session.confirm_answers()
        self._after_move()

    def change_answer(self, page_id: str) -> None:
        self.session.change_answer(page_id)
        self.render()

    def back(self) -> None:
        self.session.back()
        self.render()

    def back_or_home(self) -> None:
        if self.session.can_go_back:
            self.session.back()
        else:
            self.session.start_again()
        self.render()

    def start_again(self) -> None:
        self.session.start_again()
        self.render()

    def ask_for_staff(self) -> None:
        self.session.ask_for_staff()
        self.alert_key = "alert-text"
        log.info("staff alert raised")  # no visitor data: only that help was asked for
        self.render()

    def dismiss_alert(self) -> None:
        self.session.dismiss_staff_alert()
        self.alert_key = "alert-text"
        self._render_alert()

    def finish(self) -> None:
        self.session.finish()
        self.render()

    def rate(self, mood: int | None) -> None:
        """The satisfaction answer ends the visit (counting it arrives with usage stats)."""
        self.end_visit(farewell=True)

    def end_visit(self, *, farewell: bool = False) -> None:
        """Wipe everything the visitor told us (and shred its record); show the attract screen."""
        if self.recorder is not None:
            self.recorder.end_visit()
        self.session.wipe()
        self.session.language = self.settings.default_language
        self.overlay.hide()
        self.farewell = farewell
        self.render()
        if farewell:
            QTimer.singleShot(12_000, self._clear_farewell)

    def _clear_farewell(self) -> None:
        if self.farewell and self.session.place.screen is Screen.ATTRACT:
            self.farewell = False
            self.render()

    def _after_move(self) -> None:
        page = self.session.page
        if isinstance(page, OutcomePage):
            service = self.session.service
            self._record("outcome", {"service": service.id if service else "", "page": page.id})
        if isinstance(page, OutcomePage) and page.alert_staff:
            self.session.staff_alert = True
            self.alert_key = "alert-text"
            log.info("staff alert raised by an urgent outcome")
        self.render()

    def collection_lines(self) -> list[str]:
        """'Rubbish (black bin): Monday 30 November; ...' for the answered postcode."""
        lines = []
        lang = self.session.language
        for collection in self.session.collections(self.clock.today()):
            dates = []
            for when in collection.dates:
                text = self.catalogue.date(lang, when.date)
                if when.moved_from and when.reason:
                    text += " " + self.t(
                        "bins-moved",
                        date=self.catalogue.date(lang, when.moved_from),
                        reason=self.pick(when.reason),
                    )
                dates.append(text)
            name, colour = self.pick(collection.bin.name), self.pick(collection.bin.colour)
            lines.append(f"{name} ({colour}): " + "; ".join(dates))
        return lines

    # --- printing ---------------------------------------------------------------

    def outcome_html(self) -> str:
        """The current outcome page as simple HTML for printing."""
        page = self.session.page
        service = self.session.service
        assert isinstance(page, OutcomePage) and service is not None
        e = html.escape
        parts = [
            f"<h2>{e(self.pick(self.pack.info.council.name))}</h2>",
            f"<h1>{e(self.pick(page.title))}</h1>",
        ]
        if page.lead:
            parts.append(f"<p>{e(self.pick(page.lead))}</p>")
        for phone in page.phone:
            parts.append(f"<p><b>{e(self.pick(phone.label))}: {e(phone.number)}</b></p>")
        if page.dynamic == "bin_collections":
            parts.append(f"<h3>{e(self.t('bins-title'))}</h3><ul>")
            parts += [f"<li>{e(line)}</li>" for line in self.collection_lines()]
            parts.append("</ul>")
        if page.steps:
            parts.append(f"<h3>{e(self.t('outcome-steps'))}</h3><ol>")
            parts += [f"<li>{e(self.pick(s))}</li>" for s in page.steps]
            parts.append("</ol>")
        if page.bring:
            parts.append(f"<h3>{e(self.t('outcome-bring'))}</h3><ul>")
            parts += [f"<li>{e(self.pick(s))}</li>" for s in page.bring]
            parts.append("</ul>")
        for key, text in (("outcome-where", page.where), ("outcome-when", page.when)):
            if text:
                parts.append(f"<h3>{e(self.t(key))}</h3><p>{e(self.pick(text))}</p>")
        parts.append(f"<p>{e(str(page.link or service.link))}</p>")
        return "\n".join(parts)

    def print_outcome(self) -> Path | None:
        """Print the outcome; with no printer, save a PDF for staff. Returns the PDF path."""
        from PySide6.QtPrintSupport import QPrinter, QPrinterInfo  # only when printing

        document = QTextDocument()
        document.setHtml(self.outcome_html())
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        named = self.settings.printer
        target = QPrinterInfo.printerInfo(named) if named else QPrinterInfo.defaultPrinter()
        pdf: Path | None = None
        if not target.isNull():
            printer.setPrinterName(target.printerName())
            message = self.t("outcome-printed")
        else:
            folder = self.settings.printouts_dir
            folder.mkdir(parents=True, exist_ok=True)
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            service = self.session.service
            pdf = folder / f"{stamp}-{service.id if service else 'outcome'}.pdf"
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(pdf))
            message = self.t("outcome-saved-pdf")
        try:
            document.print_(printer)
        except Exception:  # a driver error must not end the visit
            log.exception("printing failed")
            message, pdf = self.t("outcome-print-failed"), None
        status = self.print_status
        if status is not None:
            status.setText(message)
            status.setAccessibleName(message)
            status.show()
        self.announce(message)
        return pdf

    # --- speech: the microphone and read aloud -----------------------------------------

    def mic_controls(
        self,
        *,
        options: Mapping[str, Sequence[str]] | None,
        labels: Mapping[str, str] | None = None,
        show: Callable[[str], None] | None = None,
        act: Callable[[str], None],
        not_caught_key: str,
        hint: bool = False,
    ) -> MicControls | None:
        """The microphone for the screen being built, or None when the kiosk has no speech.

        The screen places the controls; the window shows them only while the
        language has a recogniser and the microphone works (see :meth:`_refresh_speech`).
        """
        if self.speech is None:
            return None
        texts = MicTexts(
            speak=self.t("speech-speak"),
            speak_name=self.t("speech-speak-name"),
            listening=self.t("speech-listening"),
            level_name=self.t("speech-level-name"),
            yes=self.t("speech-did-you-say-yes"),
            no=self.t("speech-did-you-say-no"),
        )
        self.mic = MicControls(texts, self.toggle_listening, hint=hint)
        self._voice = VoiceTarget(options, labels or {}, show, act, not_caught_key)
        return self.mic

    def choice_phrases(self, page: ChoicePage) -> dict[str, list[str]]:
        """Each option's phrases in the visitor's language: its label, and yes/no words."""
        phrases: dict[str, list[str]] = {}
        for option in page.options:
            said = [self.pick(option.label)]
            if option.value in YES_NO_VALUES:
                words = self.t(f"speech-{option.value}-words")
                said += [w.strip() for w in words.split(",") if w.strip()]
            phrases[option.value] = said
        return phrases

    def _refresh_speech(self) -> None:
        """Show the microphone if the language can be heard now; say so on the Ask screen if not."""
        mic, speech = self.mic, self.speech
        if mic is None or speech is None:
            return
        lang = self.session.language
        available = speech.can_listen(lang)
        mic.set_available(available)
        if available:
            mic.set_hint(self.t("speech-ask-hint"))
        elif speech.microphone_ok and speech.status(lang) == "none":
            mic.set_hint(self.t("speech-unavailable-language"))
        else:  # still loading, or the microphone failed (said once, where it happened)
            mic.set_hint("")

    def toggle_listening(self) -> None:
        """The microphone button: start listening, or (tapped again) stop and use what was heard."""
        if self.speech is None:
            return
        if self.speech.listening:
            self.speech.stop_listening()
        else:
            self.start_listening()

    def start_listening(self) -> None:
        speech, mic, voice = self.speech, self.mic, self._voice
        if speech is None or mic is None or voice is None or not mic.available:
            return
        mic.clear()
        self._show_words("")
        grammar = grammar_phrases(voice.options) if voice.options is not None else None
        speech.listen(self.session.language, grammar)

    def cancel_listening(self) -> None:
        """The visitor turned to the keys: stop listening and drop the half-heard words."""
        if self.speech is not None and self.speech.listening:
            self.speech.cancel_listening()

    def _show_words(self, text: str) -> None:
        """The words heard so far, where the screen wants them."""
        if self._voice is not None and self._voice.show is not None:
            self._voice.show(text)
        elif self.mic is not None:
            self.mic.show_heard(text)

    @Slot(bool)
    def _speech_listening(self, listening: bool) -> None:
        if self.mic is not None:
            self.mic.set_listening(listening)
        if listening:
            self.announce(self.t("speech-listening"))

    @Slot(float)
    def _speech_level(self, loudness: float) -> None:
        if self.mic is not None:
            self.mic.set_level(loudness)

    @Slot(str)
    def _speech_partial(self, text: str) -> None:
        self.idle.touched()  # someone speaking is someone using the kiosk
        self._show_words(text)

    @Slot(object)
    def _speech_heard(self, hypothesis: object) -> None:
        """The final words: act on them, or ask "Did you say …?" when unsure, or say sorry."""
        mic, voice = self.mic, self._voice
        if mic is None or voice is None or not isinstance(hypothesis, Hypothesis):
            return
        self.idle.touched()
        text = hypothesis.text.strip()
        if voice.options is None:
            decided = shown = text
        else:
            decided = match_option(text, voice.options) or ""
            shown = voice.labels.get(decided, text)
        self._show_words(text)
        if not decided:
            self._show_words("")
            message = self.t(voice.not_caught_key)
            mic.say(message)
            self.announce(message)
            return
        if hypothesis.confidence >= LOW_CONFIDENCE:
            voice.act(decided)
            return
        question = self.t("speech-did-you-say", words=shown)
        mic.ask(question, lambda: voice.act(decided), self._heard_wrong)
        self.announce(question)
        if self.settings.auto_read and self.speech is not None:
            self.speech.speak(question, self.session.language)

    def _heard_wrong(self) -> None:
        """No, that is not what I said: forget it and listen again (the keys work too)."""
        self.start_listening()

    @Slot(str)
    def _speech_failed(self, reason: str) -> None:
        # the controller logged the reason; it never holds the visitor's words
        if self.mic is None or self.speech is None:
            return
        if not self.speech.can_listen(self.session.language):
            self._show_words("")  # half an utterance is not something to act on
            self.mic.set_available(False)
            self.mic.set_hint("")
            message = self.t("speech-failed")
            self.mic.say(message)
            self.announce(message)

    def read_aloud(self) -> None:
        """Read the current screen aloud in the visitor's language (replacing any reading)."""
        if self.speech is None or not self.speech.can_speak:
            return
        text = spoken(screen_text(self.current_screen()))
        self.speech.speak(text, self.session.language)

    def read_aloud_tapped(self) -> None:
        """Read aloud, or, if the tap has just stopped a reading, leave it stopped."""
        if self._press_stopped_speech:
            self._press_stopped_speech = False
            return
        self.read_aloud()

    # --- idle policy -----------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in TOUCH_EVENTS:
            self.idle.touched()
        if kind in BARGE_IN_EVENTS and self.speech is not None:
            self._barge_in(event)
        return False

    def _barge_in(self, event: QEvent) -> None:
        """Stop reading aloud at the first sight of a touch (Qt shows one press several times)."""
        assert self.speech is not None
        stamp = getattr(event, "timestamp", lambda: None)()
        if stamp is not None and stamp == self._last_press:
            return
        self._last_press = stamp
        self._press_stopped_speech = self.speech.speaking
        if self._press_stopped_speech:
            self.speech.stop_speaking()

    def tick(self) -> None:
        """Check the idle policy (the timer calls this; tests call it with a fake clock)."""
        if self.session.place.screen is Screen.ATTRACT:
            self.idle.touched()
            self.overlay.hide()
            return
        state = self.idle.state()
        if state is IdleState.EXPIRED:
            log.info("visit ended after inactivity")
            self.end_visit()
        elif state is IdleState.WARNING:
            self._show_idle_warning()
        elif self.overlay.isVisible():
            self.overlay.hide()

    def _show_idle_warning(self) -> None:
        seconds = self.idle.seconds_left()
        if not self.overlay.isVisible() or self._countdown_label is None:
            self._build_overlay()
        assert self._countdown_label is not None
        text = self.t("idle-countdown", seconds=seconds)
        if self._countdown_label.text() != text:
            self._countdown_label.setText(text)
            self._countdown_label.setAccessibleName(text)

    def _build_overlay(self) -> None:
        self._clear(self.overlay)
        outer = QVBoxLayout(self.overlay)
        outer.setContentsMargins(200, 200, 200, 200)
        card = QFrame()
        card.setObjectName("idleCard")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(48, 40, 48, 40)
        inner.setSpacing(24)
        inner.addWidget(label(self.t("idle-title"), "h1"))
        self._countdown_label = label("", "h2")
        self._countdown_label.setObjectName("idle_countdown")
        inner.addWidget(self._countdown_label)
        row = QHBoxLayout()
        yes = button(self.t("idle-yes"), self._more_time, name="idle_yes")
        yes.setMinimumHeight(120)
        yes.setStyleSheet("font-size: 40px; font-weight: bold;")
        row.addWidget(yes, 2)
        row.addWidget(
            button(self.t("idle-end"), self.end_visit, role="secondary", name="idle_end"), 1
        )
        inner.addLayout(row)
        outer.addStretch(1)
        outer.addWidget(card)
        outer.addStretch(1)
        central = self.centralWidget()
        self.overlay.setGeometry(central.rect())
        self.overlay.raise_()
        self.overlay.show()
        yes.setFocus()
        self.announce(self.t("idle-title"))

    def _more_time(self) -> None:
        self.idle.touched()
        self.overlay.hide()

    def closeEvent(self, event: object) -> None:
        if self.speech is not None:
            self.speech.shutdown()
        self.workers.waitForDone(2000)  # a classification in flight finishes before we go
        if self.recorder is not None:  # the visit in progress is shredded, the worker stops
            self.recorder.shutdown()
        super().closeEvent(event)  # type: ignore[arg-type]

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self.overlay.setGeometry(self.centralWidget().rect())

    # --- first frame (for the start-up benchmark) ------------------------------------

    def paintEvent(self, event: object) -> None:
        super().paintEvent(event)  # type: ignore[arg-type]
        callbacks, self.first_paint_callbacks = self.first_paint_callbacks, []
        for callback in callbacks:
            QTimer.singleShot(0, callback)

    def find_button(self, name: str) -> QPushButton:
        """The visible button with this object name (for tests and the demo tour)."""
        for found in self.findChildren(QPushButton, name):
            if found.isVisible():
                return found
        raise LookupError(f"no visible button '{name}' on {self.session.place}")
