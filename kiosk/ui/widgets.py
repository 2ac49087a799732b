"""Small reusable widgets: buttons, labels, icons, QR code, faces, on-screen keyboards, Ask box."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from types import MappingProxyType

from PySide6.QtCore import QByteArray, QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.paths import ICON_DIR
from kiosk.ui.theme import PALETTE


def label(text: str, role: str | None = None, *, wrap: bool = True) -> QLabel:
    """A text label; ``role`` picks the style (h1, h2, hint, small, error)."""
    widget = QLabel(text)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        widget.setProperty("role", role)
    widget.setAccessibleName(text)
    return widget


def button(
    text: str,
    on_click: Callable[[], None],
    *,
    role: str | None = None,
    name: str | None = None,
    icon: str | None = None,
    icon_colour: str = PALETTE.button_text,
) -> QPushButton:
    """A large touch button (at least 64 px high) that names itself for screen readers."""
    widget = QPushButton(text)
    if role:
        widget.setProperty("role", role)
    if name:
        widget.setObjectName(name)
    if icon:
        widget.setIcon(svg_icon(icon, icon_colour))
        widget.setIconSize(QSize(40, 40))
    widget.setAccessibleName(text)
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a tap must not leave a focus mark
    widget.clicked.connect(lambda _checked=False: on_click())
    return widget


@cache
def _svg_bytes(name: str) -> bytes | None:
    path = ICON_DIR / f"{name}.svg"
    return path.read_bytes() if path.is_file() else None


def svg_icon(name: str, colour: str, size: int = 64) -> QIcon:
    """An icon from ``assets/icons/NAME.svg`` recoloured; empty if the file is missing."""
    data = _svg_bytes(name)
    if data is None:
        return QIcon()
    from PySide6.QtSvg import QSvgRenderer  # not needed to paint the attract screen

    renderer = QSvgRenderer(QByteArray(data.replace(b"#0b0c0c", colour.encode())))
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter)
    painter.end()
    return QIcon(pixmap)


class WrapButton(QPushButton):
    """A push button whose text wraps onto several lines (QPushButton cannot wrap).

    Optionally with an icon on the left. The labels inside follow the button's
    focus state so text keeps its contrast on the yellow focus colour.
    """

    def __init__(
        self,
        text: str,
        hint: str = "",
        *,
        icon: str | None = None,
        colour: str = PALETTE.secondary_button_text,
        title_px: int = 28,
    ) -> None:
        super().__init__()
        self.setAccessibleName(text)
        if hint:
            self.setAccessibleDescription(hint)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self._colour = colour
        self._icon_name = icon
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 14, 24, 14)
        row.setSpacing(16)
        self._icon = QLabel()
        self._icon.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._icon.setStyleSheet("background: transparent;")
        if icon:
            row.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignVCenter)
        column = QVBoxLayout()
        column.setSpacing(4)
        row.addLayout(column, 1)
        self._labels: list[tuple[QLabel, str]] = []
        for content, style in (
            (text, f"font-size: {title_px}px; font-weight: bold;"),
            (hint, "font-size: 24px;"),
        ):
            if not content:
                continue
            part = QLabel(content)
            part.setWordWrap(True)
            part.setTextFormat(Qt.TextFormat.PlainText)
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            column.addWidget(part)
            self._labels.append((part, style))
        self._paint_labels(colour)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def _paint_labels(self, colour: str) -> None:
        for part, style in self._labels:
            part.setStyleSheet(f"{style} color: {colour}; background: transparent;")
        if self._icon_name:
            self._icon.setPixmap(svg_icon(self._icon_name, colour).pixmap(56, 56))

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._paint_labels(PALETTE.focus_text)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._paint_labels(self._colour)

    def text_labels(self) -> list[QLabel]:
        return [part for part, _ in self._labels]

    def sizeHint(self) -> QSize:
        return self.layout().sizeHint().expandedTo(QSize(64, 64))

    def minimumSizeHint(self) -> QSize:
        return self.layout().minimumSize().expandedTo(QSize(64, 64))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return max(64, self.layout().heightForWidth(width))


def wrap_button(
    text: str,
    on_click: Callable[[], None],
    *,
    hint: str = "",
    role: str = "option",
    name: str | None = None,
    icon: str | None = None,
    colour: str = PALETTE.secondary_button_text,
) -> WrapButton:
    """A large button whose text wraps: answer options, services, home tiles."""
    widget = WrapButton(text, hint, icon=icon, colour=colour)
    widget.setProperty("role", role)
    if name:
        widget.setObjectName(name)
    widget.clicked.connect(lambda _checked=False: on_click())
    return widget


def panel(*widgets: QWidget, role: str = "panel") -> QFrame:
    """A shaded box (GOV.UK inset text) or an urgent red box."""
    frame = QFrame()
    frame.setProperty("role", role)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(24, 16, 24, 16)
    for widget in widgets:
        layout.addWidget(widget)
    return frame


class QrCode(QLabel):
    """A QR code drawn from segno's module matrix, with a quiet zone."""

    def __init__(self, url: str, size: int = 240) -> None:
        super().__init__()
        import segno  # imported here: only outcome pages need it

        qr = segno.make(url, error="m")
        matrix = [list(row) for row in qr.matrix]
        modules = len(matrix) + 8  # 4-module quiet zone each side
        scale = max(1, size // modules)
        pixmap = QPixmap(modules * scale, modules * scale)
        pixmap.fill(QColor("#ffffff"))
        painter = QPainter(pixmap)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#000000"))
        for y, row in enumerate(matrix):
            for x, dark in enumerate(row):
                if dark:
                    painter.drawRect((x + 4) * scale, (y + 4) * scale, scale, scale)
        painter.end()
        self.setPixmap(pixmap)
        self.url = url
        self.setAccessibleName(url)
        self.setFixedSize(pixmap.size())


def face_pixmap(mood: int, size: int = 120) -> QPixmap:
    """A simple face: 3 smiling, 2 neutral, 1 frowning (no emoji font needed)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(PALETTE.text), size / 16)
    painter.setPen(pen)
    painter.setBrush(QColor({3: "#85994b", 2: "#ffdd00", 1: "#f47738"}[mood]))
    margin = size / 12
    painter.drawEllipse(QRectF(margin, margin, size - 2 * margin, size - 2 * margin))
    painter.setBrush(QColor(PALETTE.text))
    for ex in (0.36, 0.64):
        painter.drawEllipse(QPointF(size * ex, size * 0.4), size / 24, size / 24)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    path = QPainterPath()
    y = size * 0.66
    bend = {3: 0.12, 2: 0.0, 1: -0.1}[mood] * size
    path.moveTo(size * 0.32, y - bend / 2)
    path.quadTo(size * 0.5, y + bend, size * 0.68, y - bend / 2)
    painter.drawPath(path)
    painter.end()
    return pixmap


class Keyboard(QWidget):
    """Large on-screen keys for postcodes: letters, digits, space, delete."""

    key_pressed = Signal(str)
    """A character, or '\\b' for delete."""

    ROWS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")

    def _key(self, text: str, char: str, name: str) -> QPushButton:
        return button(text, lambda: self.key_pressed.emit(char), role="secondary", name=name)

    def __init__(self, space_text: str, delete_text: str) -> None:
        super().__init__()
        grid = QGridLayout(self)
        grid.setSpacing(8)
        for r, row in enumerate(self.ROWS):
            for c, char in enumerate(row):
                key = self._key(char, char, f"key_{char}")
                key.setMinimumSize(72, 64)
                grid.addWidget(key, r, c)
        grid.addWidget(self._key(space_text, " ", "key_space"), 4, 2, 1, 5)
        delete = self._key(delete_text, "\b", "key_delete")
        grid.addWidget(delete, 3, 7, 1, 3)


EXTRA_KEY_ROWS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    # to bach (circumflex, by far the most used in Welsh) and didolnod first
    {"cy": ("âêîôûŵŷäëïöü", "áéíóúàèìòù")}
)
"""Letters a language adds to the English keys."""
KEY_NAMES: Mapping[str, str] = MappingProxyType({"'": "apostrophe", "-": "hyphen", " ": "space"})


class TextKeyboard(QWidget):
    """Large on-screen keys for typing a question, in the current language's alphabet.

    Lower-case letters, an apostrophe and a hyphen (common in Welsh: "i'w",
    "budd-daliadau"), space, delete and clear; Welsh adds the accented vowels.
    Keys are named ``tkey_a``, ``tkey_ŵ``, ``tkey_apostrophe``, ``tkey_space``...
    """

    typed = Signal(str)
    deleted = Signal()
    cleared = Signal()

    LETTER_ROWS = ("qwertyuiop", "asdfghjkl'", "zxcvbnm-")
    KEY_SIZE = QSize(104, 80)

    def __init__(
        self,
        lang: str,
        *,
        space_text: str,
        delete_text: str,
        clear_text: str,
        punctuation_names: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        spoken = punctuation_names or {}
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        self.keys: list[QPushButton] = []
        for chars in self.LETTER_ROWS + EXTRA_KEY_ROWS.get(lang, ()):
            row = QHBoxLayout()
            row.setSpacing(8)
            row.addStretch(1)
            for char in chars:
                name = KEY_NAMES.get(char, char)
                key = self._key(char, name, lambda c=char: self.typed.emit(c))
                key.setFixedSize(self.KEY_SIZE)
                if char in spoken:
                    key.setAccessibleName(spoken[char])
                row.addWidget(key)
            row.addStretch(1)
            column.addLayout(row)
        bottom = QHBoxLayout()
        bottom.setSpacing(8)
        bottom.addStretch(1)
        for text, name, on_click, keys_wide in (
            (space_text, "space", lambda: self.typed.emit(" "), 5),
            (delete_text, "delete", self.deleted.emit, 2),
            (clear_text, "clear", self.cleared.emit, 2),
        ):
            key = self._key(text, name, on_click)
            key.setFixedHeight(self.KEY_SIZE.height())
            # the theme's min-width would win over setMinimumWidth(), so say it in its terms
            width = keys_wide * self.KEY_SIZE.width() + (keys_wide - 1) * 8 - 44
            key.setStyleSheet(f"min-width: {width}px;")
            bottom.addWidget(key)
        bottom.addStretch(1)
        column.addLayout(bottom)

    def _key(self, text: str, name: str, on_click: Callable[[], None]) -> QPushButton:
        key = button(text, on_click, role="key", name=f"tkey_{name}")
        self.keys.append(key)
        return key


def search_pixmap(colour: str, size: int = 48) -> QPixmap:
    """A magnifying glass (the GOV.UK search button's symbol)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(colour), size / 9)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    radius = size * 0.27
    centre = QPointF(size * 0.42, size * 0.42)
    painter.drawEllipse(centre, radius, radius)
    painter.drawLine(QPointF(size * 0.62, size * 0.62), QPointF(size * 0.86, size * 0.86))
    painter.end()
    return pixmap


class AskBox(QPushButton):
    """The home screen's Ask box: one large button drawn like a GOV.UK search field.

    A white field with a thick border and the prompt inside, and the green
    search button on its right. Disabled, it turns grey (the screen explains why).
    Its height comes from the theme (``QPushButton[role="askbox"]``).
    """

    def __init__(self, prompt: str, button_text: str, accessible_name: str) -> None:
        super().__init__()
        self.setProperty("role", "askbox")
        self.setAccessibleName(accessible_name)
        self.setAccessibleDescription(prompt)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        row = QHBoxLayout(self)
        row.setContentsMargins(28, 0, 0, 0)
        row.setSpacing(24)
        self.prompt = QLabel(prompt)
        self.prompt.setObjectName("askPrompt")
        self.prompt.setWordWrap(True)
        self.prompt.setTextFormat(Qt.TextFormat.PlainText)
        row.addWidget(self.prompt, 1)
        self.search = QFrame()
        self.search.setObjectName("askSearch")
        inner = QHBoxLayout(self.search)
        inner.setContentsMargins(28, 0, 32, 0)
        inner.setSpacing(12)
        self.icon = QLabel()
        self.button_label = QLabel(button_text)
        self.button_label.setObjectName("askSearchText")
        self.button_label.setTextFormat(Qt.TextFormat.PlainText)
        inner.addWidget(self.icon)
        inner.addWidget(self.button_label)
        row.addWidget(self.search)
        for part in (self.prompt, self.search, self.icon, self.button_label):
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._paint_icon()

    def _paint_icon(self) -> None:
        colour = PALETTE.button_text if self.isEnabled() else PALETTE.secondary_text
        self.icon.setPixmap(search_pixmap(colour))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.EnabledChange:
            self._paint_icon()

    def sizeHint(self) -> QSize:
        return self.layout().sizeHint().expandedTo(self.minimumSize())
