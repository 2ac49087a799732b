"""Screen builders: one function per kind of screen, drawn from the session and the pack.

Each builder returns a fresh widget; the window rebuilds the screen after every
tap, so a language switch simply draws the same place in the other language.
Buttons get object names (``tile_bins``, ``option_yes``...) for tests and the
demo tour, which press them exactly as a visitor would.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.content import CheckPage, ChoicePage, OutcomePage, PostcodePage
from kiosk.ui.attract import build_attract
from kiosk.ui.theme import PALETTE
from kiosk.ui.widgets import (
    AskBox,
    Keyboard,
    QrCode,
    TextKeyboard,
    button,
    face_pixmap,
    label,
    panel,
    wrap_button,
)

if TYPE_CHECKING:
    from kiosk.ui.main_window import KioskWindow


def _column(spacing: int = 24) -> tuple[QWidget, QVBoxLayout]:
    widget = QWidget()
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(64, 40, 64, 40)
    layout.setSpacing(spacing)
    return widget, layout


def attract(ui: KioskWindow) -> QWidget:
    return build_attract(ui.attract_card(), ui.begin)


def home(ui: KioskWindow) -> QWidget:
    widget, layout = _column(16)
    layout.addWidget(label(ui.t("home-title"), "h1"))
    available = ui.classifier is not None
    # without a classifier the box stays in place, greyed, and says why inside itself
    prompt = ui.t("ask-box" if available else "ask-unavailable")
    ask_box = AskBox(prompt, ui.t("ask-box-button"), ui.t("ask-box-name"))
    ask_box.setObjectName("ask_box")
    ask_box.setEnabled(available)
    ask_box.clicked.connect(lambda _checked=False: ui.open_ask())
    layout.addWidget(ask_box)
    if available:
        layout.addWidget(label(ui.t("home-hint-or-tap"), "hint"))
    grid = QGridLayout()
    grid.setSpacing(16)
    columns = 4
    for index, tile in enumerate(ui.pack.info.tiles):
        tile_button = wrap_button(
            ui.pick(tile.title),
            lambda tid=tile.id: ui.open_tile(tid),
            role="tile",
            name=f"tile_{tile.id}",
            icon=tile.icon,
            colour=PALETTE.brand_text,
        )
        tile_button.setMinimumHeight(128)
        grid.addWidget(tile_button, index // columns, index % columns)
    for column in range(columns):
        grid.setColumnStretch(column, 1)
    layout.addLayout(grid)
    if "kiosk.help" in ui.pack.services:
        layout.addWidget(
            button(
                ui.t("home-how-to-use"),
                lambda: ui.open_service("kiosk.help"),
                role="link",
                name="how_to_use",
            ),
            0,
            Qt.AlignmentFlag.AlignLeft,
        )
    layout.addStretch(1)
    return widget


def category(ui: KioskWindow, tile_id: str) -> QWidget:
    tile = ui.pack.tile(tile_id)
    widget, layout = _column(16)
    layout.addWidget(label(ui.pick(tile.title), "h1"))
    layout.addWidget(label(ui.t("category-hint", count=len(tile.services)), "hint"))
    for sid in tile.services:
        service = ui.pack.services[sid]
        layout.addWidget(
            wrap_button(
                ui.pick(service.title),
                lambda sid=sid: ui.open_service(sid),
                hint=ui.pick(service.summary),
                name=f"service_{sid}",
            )
        )
    layout.addStretch(1)
    return widget


def journey_page(ui: KioskWindow) -> QWidget:
    page = ui.session.page
    if isinstance(page, ChoicePage):
        return _choice(ui, page)
    if isinstance(page, PostcodePage):
        return _postcode(ui, page)
    if isinstance(page, CheckPage):
        return _check(ui)
    assert isinstance(page, OutcomePage)
    return _outcome(ui, page)


def _service_caption(ui: KioskWindow) -> QLabel:
    service = ui.session.service
    assert service is not None
    return label(ui.pick(service.title), "small")


def _question(ui: KioskWindow, page: ChoicePage | PostcodePage) -> tuple[QWidget, QVBoxLayout]:
    """A question page's top: the service's name, the question, and its hint."""
    widget, layout = _column(16)
    layout.addWidget(_service_caption(ui))
    layout.addWidget(label(ui.pick(page.question), "h1"))
    if page.hint:
        layout.addWidget(label(ui.pick(page.hint), "hint"))
    return widget, layout


def _choice(ui: KioskWindow, page: ChoicePage) -> QWidget:
    widget, layout = _question(ui, page)
    for option in page.options:
        layout.addWidget(
            wrap_button(
                ui.pick(option.label),
                lambda value=option.value: ui.choose(value),
                hint=ui.pick(option.hint) if option.hint else "",
                name=f"option_{option.value}",
            )
        )
    # speaking picks an option too: a grammar of the option labels (and yes/no words)
    mic = ui.mic_controls(
        options=ui.choice_phrases(page),
        labels={option.value: ui.pick(option.label) for option in page.options},
        act=ui.choose,
        not_caught_key="speech-not-caught-choice",
    )
    if mic is not None:
        layout.addSpacing(8)
        layout.addLayout(mic.mic_row())
        layout.addWidget(mic.message)
        layout.addWidget(mic.confirm)
    layout.addStretch(1)
    return widget


def _postcode(ui: KioskWindow, page: PostcodePage) -> QWidget:
    widget, layout = _question(ui, page)
    error = label("", "error")
    error.setObjectName("postcode_error")
    error.hide()
    layout.addWidget(error)
    entry = QLineEdit()
    entry.setObjectName("postcode_entry")
    entry.setAccessibleName(ui.pick(page.question))
    entry.setMaxLength(10)
    entry.setMaximumWidth(420)
    # an answer given before, or a postcode the visitor typed in their question
    entry.setText(ui.session.answers.get(page.id) or ui.session.prefill.get("postcode", ""))
    entry_row = QHBoxLayout()
    entry_row.addWidget(entry)
    layout.addLayout(entry_row)
    keyboard = Keyboard(ui.t("keyboard-space"), ui.t("keyboard-delete"))

    def typed(char: str) -> None:
        entry.setText(entry.text()[:-1] if char == "\b" else entry.text() + char)

    keyboard.key_pressed.connect(typed)

    def submit() -> None:
        message = ui.enter_postcode(entry.text())
        if message:
            error.setText(message)
            error.setAccessibleName(message)
            error.show()
            entry.setProperty("invalid", "true")
            entry.style().unpolish(entry)
            entry.style().polish(entry)
            ui.announce(message)

    entry.returnPressed.connect(submit)
    entry_row.addWidget(button(ui.t("page-continue"), submit, name="continue"))
    entry_row.addStretch(1)
    layout.addWidget(keyboard)
    layout.addStretch(1)
    return widget


def _check(ui: KioskWindow) -> QWidget:
    widget, layout = _column(16)
    layout.addWidget(_service_caption(ui))
    layout.addWidget(label(ui.t("check-title"), "h1"))
    grid = QGridLayout()
    grid.setHorizontalSpacing(32)
    grid.setVerticalSpacing(16)
    for row, answer in enumerate(ui.session.answer_rows()):
        question = label(ui.pick(answer.question))
        question.setStyleSheet("font-weight: bold;")
        grid.addWidget(question, row, 0)
        grid.addWidget(label(ui.pick(answer.answer)), row, 1)
        change = button(
            ui.t("check-change"),
            lambda pid=answer.page_id: ui.change_answer(pid),
            role="secondary",
            name=f"change_{answer.page_id}",
        )
        change.setAccessibleName(ui.t("check-change-named", question=ui.pick(answer.question)))
        grid.addWidget(change, row, 2)
    grid.setColumnStretch(0, 3)
    grid.setColumnStretch(1, 2)
    layout.addLayout(grid)
    layout.addWidget(
        button(ui.t("check-confirm"), ui.confirm_answers, name="confirm"),
        0,
        Qt.AlignmentFlag.AlignLeft,
    )
    layout.addStretch(1)
    return widget


def _outcome(ui: KioskWindow, page: OutcomePage) -> QWidget:
    widget, layout = _column(20)
    service = ui.session.service
    assert service is not None
    layout.addWidget(_service_caption(ui))
    if page.urgent:
        layout.addWidget(panel(label(ui.t("outcome-urgent"), "h2"), role="urgent"))
    layout.addWidget(label(ui.pick(page.title), "h1"))
    if page.lead:
        layout.addWidget(label(ui.pick(page.lead)))
    if page.alert_staff:
        layout.addWidget(
            panel(
                label(ui.t("outcome-staff-coming"), "h2"),
                label(ui.pick(ui.pack.info.help_desk.where)),
                label(ui.t("staff-out-of-hours", number=ui.pack.info.help_desk.out_of_hours)),
            )
        )
    for phone in page.phone:
        text = f"{ui.pick(phone.label)}: {phone.number}"
        layout.addWidget(panel(label(text, "h2"), role="urgent" if page.urgent else "panel"))
    if page.dynamic == "bin_collections":
        layout.addWidget(_bin_collections(ui))
    body = QHBoxLayout()
    body.setSpacing(48)
    text_column = QVBoxLayout()
    text_column.setSpacing(12)
    if page.steps:
        text_column.addWidget(label(ui.t("outcome-steps"), "h2"))
        for number, step in enumerate(page.steps, start=1):
            text_column.addWidget(label(f"{number}. {ui.pick(step)}"))
    if page.bring:
        text_column.addWidget(label(ui.t("outcome-bring"), "h2"))
        for item in page.bring:
            text_column.addWidget(label(f"• {ui.pick(item)}"))
    if page.where:
        text_column.addWidget(label(ui.t("outcome-where"), "h2"))
        text_column.addWidget(label(ui.pick(page.where)))
    if page.when:
        text_column.addWidget(label(ui.t("outcome-when"), "h2"))
        text_column.addWidget(label(ui.pick(page.when)))
    text_column.addStretch(1)
    body.addLayout(text_column, 3)
    url = str(page.link or service.link)
    qr_column = QVBoxLayout()
    qr_column.addWidget(label(ui.t("outcome-qr"), "h2"))
    qr = QrCode(url, size=300)
    qr.setObjectName("qr")
    qr_column.addWidget(qr)
    qr_column.addWidget(label(url, "small"))
    qr_column.addStretch(1)
    body.addLayout(qr_column, 1)
    layout.addLayout(body)
    layout.addStretch(1)
    return widget


def _bin_collections(ui: KioskWindow) -> QWidget:
    rows: list[QWidget] = [label(ui.t("bins-title"), "h2")]
    postcode = ui.session.postcode_answer()
    if postcode:
        rows.append(label(ui.t("bins-for-postcode", postcode=postcode), "hint"))
    rows += [label(line) for line in ui.collection_lines()]
    box = panel(*rows)
    box.setObjectName("bin_collections")
    return box


ASK_MAX_CHARS = 120
"""Enough for a sentence or two; a request needs only a few words."""


def ask(ui: KioskWindow) -> QWidget:
    """The Ask box: type what you need on large keys, then Ask (classified off the UI thread)."""
    widget, layout = _column(16)
    layout.addWidget(label(ui.t("home-title"), "h1"))
    layout.addWidget(label(f"{ui.t('ask-hint')} {ui.t('ask-privacy')}", "hint"))

    def heard_so_far(text: str) -> None:
        entry.setText(text)
        error.hide()

    def heard(text: str) -> None:
        entry.setText(text)
        send()

    # the words appear in the entry as they are spoken, then are asked exactly as if typed
    mic = ui.mic_controls(
        options=None,
        show=heard_so_far,
        act=heard,
        not_caught_key="speech-not-caught-ask",
        hint=True,
    )
    if mic is not None and mic.hint is not None:
        layout.addWidget(mic.hint)
    error = label("", "error")
    error.setObjectName("ask_error")
    error.hide()
    layout.addWidget(error)
    entry = QLineEdit()
    entry.setObjectName("ask_entry")
    entry.setAccessibleName(ui.t("ask-entry-name"))
    entry.setReadOnly(True)  # typed on the keys below: a tap must not raise a system keyboard
    entry.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    entry.setMaxLength(ASK_MAX_CHARS)
    entry.setStyleSheet("font-size: 36px; min-height: 72px;")
    entry_row = QHBoxLayout()
    entry_row.setSpacing(16)
    top = Qt.AlignmentFlag.AlignTop  # level with the microphone, whose meter hangs below it
    entry_row.addWidget(entry, 1, top)
    submit = button(ui.t("ask-submit"), lambda: send(), name="ask_submit")
    submit.setStyleSheet("min-width: 160px; min-height: 64px;")
    entry_row.addWidget(submit, 0, top)
    # shown in the Ask button's place while the classifier works
    thinking = label(ui.t("ask-thinking"), "h2", wrap=False)
    thinking.setObjectName("ask_thinking")
    thinking.setMinimumHeight(72)  # the entry's height, so the word sits level with it
    entry_row.addWidget(thinking, 0, top)
    if mic is not None:
        entry_row.addLayout(mic.mic_column())
    layout.addLayout(entry_row)
    if mic is not None:
        layout.addWidget(mic.message)
        layout.addWidget(mic.confirm)
    keyboard = TextKeyboard(
        ui.session.language,
        space_text=ui.t("keyboard-space"),
        delete_text=ui.t("keyboard-delete"),
        clear_text=ui.t("keyboard-clear"),
        punctuation_names={"'": ui.t("keyboard-apostrophe"), "-": ui.t("keyboard-hyphen")},
    )
    layout.addWidget(keyboard)
    layout.addStretch(1)

    def set_busy(busy: bool) -> None:
        thinking.setVisible(busy)
        submit.setVisible(not busy)
        submit.setEnabled(not busy)
        for key in keyboard.keys:
            key.setEnabled(not busy)
        if mic is not None:
            mic.button.setEnabled(not busy)

    def edited(text: str) -> None:
        ui.cancel_listening()  # the visitor turned to the keys
        if mic is not None:
            mic.clear()
        entry.setText(text)
        error.hide()

    keyboard.typed.connect(lambda char: edited(entry.text() + char))
    keyboard.deleted.connect(lambda: edited(entry.text()[:-1]))
    keyboard.cleared.connect(lambda: edited(""))

    def send() -> None:
        if not entry.text().strip():
            message = ui.t("ask-error-empty")
            error.setText(message)
            error.setAccessibleName(message)
            error.show()
            ui.announce(message)
            return
        set_busy(True)
        ui.announce(ui.t("ask-thinking"))
        ui.ask(entry.text())

    set_busy(False)
    return widget


def clarify(ui: KioskWindow) -> QWidget:
    """Did you mean...? The two close intents as large buttons, and Something else."""
    widget, layout = _column(24)
    layout.addWidget(label(ui.t("clarify-title"), "h1"))
    layout.addWidget(label(ui.t("clarify-hint"), "hint"))
    for index, intent in enumerate(ui.session.clarify or ()):
        title, summary = ui.intent_title(intent)
        choice = wrap_button(
            title,
            lambda intent=intent: ui.choose_intent(intent),
            hint=summary,
            name=f"clarify_{index}",
        )
        choice.setMinimumHeight(120)
        layout.addWidget(choice)
    layout.addSpacing(16)
    layout.addWidget(
        button(ui.t("clarify-other"), ui.start_again, role="secondary", name="clarify_other"),
        0,
        Qt.AlignmentFlag.AlignLeft,
    )
    layout.addStretch(1)
    return widget


def no_match(ui: KioskWindow) -> QWidget:
    """Sorry, I can't help with that here: browse, talk to staff, or ask again."""
    widget, layout = _column(24)
    layout.addWidget(label(ui.t("no-match-title"), "h1"))
    body = label(ui.t("no-match-body"))
    body.setMaximumWidth(1200)  # GOV.UK keeps reading lines to about two thirds of the page
    layout.addWidget(body)
    row = QHBoxLayout()
    row.setSpacing(24)
    # one primary action per page (GOV.UK); staff is also in the footer on every page
    row.addWidget(button(ui.t("no-match-browse"), ui.start_again, name="no_match_browse"))
    row.addWidget(
        button(ui.t("no-match-retry"), ui.ask_again, role="secondary", name="no_match_retry")
    )
    row.addWidget(
        button(
            ui.t("no-match-staff"),
            ui.ask_for_staff,
            role="secondary",
            name="no_match_staff",
            icon="staff",
            icon_colour=PALETTE.secondary_button_text,
        )
    )
    row.addStretch(1)
    layout.addLayout(row)
    layout.addStretch(1)
    return widget


def staff_help(ui: KioskWindow) -> QWidget:
    widget, layout = _column()
    layout.addWidget(label(ui.t("staff-title"), "h1"))
    layout.addWidget(label(ui.t("staff-body")))
    layout.addWidget(panel(label(ui.pick(ui.pack.info.help_desk.where), "h2")))
    layout.addWidget(label(ui.t("staff-carry-on")))
    layout.addWidget(label(ui.t("staff-phone", number=ui.pack.info.help_desk.phone), "hint"))
    layout.addWidget(
        label(ui.t("staff-out-of-hours", number=ui.pack.info.help_desk.out_of_hours), "hint")
    )
    layout.addWidget(
        button(ui.t("staff-carry-on-button"), ui.back_or_home, name="carry_on"),
        0,
        Qt.AlignmentFlag.AlignLeft,
    )
    layout.addStretch(1)
    return widget


def satisfaction(ui: KioskWindow) -> QWidget:
    widget, layout = _column(32)
    layout.addWidget(label(ui.t("satisfaction-title"), "h1"))
    layout.addWidget(label(ui.t("satisfaction-hint"), "hint"))
    row = QHBoxLayout()
    row.setSpacing(32)
    for mood, key in ((3, "satisfaction-good"), (2, "satisfaction-ok"), (1, "satisfaction-poor")):
        face = QPushButton(ui.t(key))
        face.setObjectName(f"face_{mood}")
        face.setProperty("role", "secondary")
        face.setAccessibleName(ui.t(key))
        face.setIcon(QPixmap(face_pixmap(mood)))
        face.setIconSize(face_pixmap(mood).size())
        face.setMinimumSize(300, 220)
        face.clicked.connect(lambda _=False, m=mood: ui.rate(m))
        row.addWidget(face)
    row.addStretch(1)
    layout.addLayout(row)
    layout.addWidget(
        button(ui.t("satisfaction-skip"), lambda: ui.rate(None), role="link", name="skip"),
        0,
        Qt.AlignmentFlag.AlignLeft,
    )
    layout.addStretch(1)
    return widget
