"""Small reusable widgets: buttons, labels, icons, QR code, faces, on-screen keyboard."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from PySide6.QtCore import QByteArray, QPointF, QRectF, QSize, Qt, Signal
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
