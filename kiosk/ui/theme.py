"""Colours, sizes and the Qt style sheet, after the GOV.UK Design System palette.

Every text/background pair the kiosk draws is listed in ``TEXT_PAIRS`` so a
test can prove each one meets WCAG AA (4.5:1) contrast.
"""

from __future__ import annotations

from typing import NamedTuple


class Palette(NamedTuple):  # NamedTuple: the early attract screen must not pay for dataclasses
    text: str = "#0b0c0c"
    secondary_text: str = "#484949"
    background: str = "#ffffff"
    panel: str = "#f3f2f1"
    brand: str = "#1d70b8"
    brand_text: str = "#ffffff"
    header: str = "#0b0c0c"
    header_text: str = "#ffffff"
    button: str = "#00703c"
    button_pressed: str = "#005a30"
    button_text: str = "#ffffff"
    secondary_button: str = "#f3f2f1"
    secondary_button_text: str = "#0b0c0c"
    border: str = "#0b0c0c"
    focus: str = "#ffdd00"
    focus_text: str = "#0b0c0c"
    urgent: str = "#d4351c"
    urgent_text: str = "#ffffff"
    error_text: str = "#aa2a16"
    demo_tag: str = "#ffdd00"
    demo_tag_text: str = "#0b0c0c"
    alert: str = "#ffdd00"
    alert_text: str = "#0b0c0c"
    disabled: str = "#b1b4b6"
    disabled_text: str = "#0b0c0c"


PALETTE = Palette()

# Sizes in pixels, for a 1920x1080 screen at arm's length.
BODY_PX = 26
SMALL_PX = 22  # the smallest text anywhere; the target is at least 20 px at 1080p
BUTTON_PX = 28
KEY_PX = 34  # on-screen keyboard letters
H1_PX = 44
H2_PX = 32
ASK_BOX_PX = 88  # the home screen's Ask box, borders included
TOUCH_MIN_PX = 64  # comfortably above the 48 px minimum touch target
MIC_PX = 72  # the microphone button: larger than the other buttons, easy to find

TEXT_PAIRS: list[tuple[str, str, str]] = [
    ("body", PALETTE.text, PALETTE.background),
    ("hint", PALETTE.secondary_text, PALETTE.background),
    ("panel", PALETTE.text, PALETTE.panel),
    ("hint on panel", PALETTE.secondary_text, PALETTE.panel),
    ("header", PALETTE.header_text, PALETTE.header),
    ("primary button", PALETTE.button_text, PALETTE.button),
    ("pressed button", PALETTE.button_text, PALETTE.button_pressed),
    ("secondary button", PALETTE.secondary_button_text, PALETTE.secondary_button),
    ("brand tile", PALETTE.brand_text, PALETTE.brand),
    ("focused control", PALETTE.focus_text, PALETTE.focus),
    ("urgent banner", PALETTE.urgent_text, PALETTE.urgent),
    ("error message", PALETTE.error_text, PALETTE.background),
    ("demo tag", PALETTE.demo_tag_text, PALETTE.demo_tag),
    ("staff alert", PALETTE.alert_text, PALETTE.alert),
    ("disabled button", PALETTE.disabled_text, PALETTE.disabled),
]


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a '#rrggbb' colour."""
    value = colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio, from 1.0 to 21.0."""
    a, b = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def style_sheet(p: Palette = PALETTE) -> str:
    """The application-wide Qt style sheet."""
    return f"""
    QWidget {{ background: {p.background}; color: {p.text}; font-size: {BODY_PX}px; }}
    QLabel {{ background: transparent; }}
    QLabel[role="h1"] {{ font-size: {H1_PX}px; font-weight: bold; }}
    QLabel[role="h2"] {{ font-size: {H2_PX}px; font-weight: bold; }}
    QLabel[role="hint"] {{ color: {p.secondary_text}; }}
    QLabel[role="small"] {{ font-size: {SMALL_PX}px; color: {p.secondary_text}; }}
    QLabel[role="error"] {{ color: {p.error_text}; font-weight: bold; }}
    QLabel[role="demo"] {{ background: {p.demo_tag}; color: {p.demo_tag_text};
        font-size: {SMALL_PX}px; font-weight: bold; padding: 4px 10px; }}
    QWidget#header {{ background: {p.header}; }}
    QWidget#header QLabel {{ color: {p.header_text}; }}
    QWidget#header QLabel[role="demo"] {{ color: {p.demo_tag_text}; }}
    QFrame[role="panel"] {{ background: {p.panel}; border-left: 8px solid {p.brand}; }}
    QFrame[role="panel"] QLabel {{ background: {p.panel}; }}
    QFrame[role="urgent"] {{ background: {p.urgent}; }}
    QFrame[role="urgent"] QLabel {{ color: {p.urgent_text}; background: {p.urgent}; }}
    QFrame#staffAlert {{ background: {p.alert}; border-bottom: 4px solid {p.text}; }}
    QFrame#staffAlert QLabel {{ color: {p.alert_text}; font-weight: bold; }}
    QPushButton {{
        min-height: {TOUCH_MIN_PX}px; min-width: {TOUCH_MIN_PX}px;
        font-size: {BUTTON_PX}px; padding: 8px 24px;
        background: {p.button}; color: {p.button_text};
        border: none; border-bottom: 4px solid #002d18; border-radius: 4px;
    }}
    QPushButton:pressed {{ background: {p.button_pressed}; }}
    QPushButton[role="secondary"] {{
        background: {p.secondary_button}; color: {p.secondary_button_text};
        border-bottom: 4px solid #929191;
    }}
    QPushButton[role="tile"] {{
        background: {p.brand}; color: {p.brand_text}; font-weight: bold;
        text-align: left; padding: 12px 20px; border-bottom: 4px solid #003078;
    }}
    QPushButton[role="option"] {{
        background: {p.secondary_button}; color: {p.secondary_button_text};
        text-align: left; padding: 16px 28px; border: 3px solid {p.border};
    }}
    QPushButton[role="link"] {{
        background: transparent; color: {p.brand}; text-decoration: underline;
        border: none; text-align: left; padding: 8px 4px;
    }}
    QPushButton[role="lang"] {{
        background: transparent; color: {p.header_text}; border: 3px solid {p.header_text};
        font-size: {BUTTON_PX - 4}px;
    }}
    QPushButton[role="lang"][current="true"] {{ background: {p.header_text}; color: {p.header}; }}
    QPushButton[role="key"] {{
        background: {p.secondary_button}; color: {p.secondary_button_text};
        font-size: {KEY_PX}px; padding: 4px 20px; border: 2px solid #929191;
        border-bottom: 4px solid #929191;
    }}
    QPushButton[role="askbox"] {{
        background: {p.background}; border: 4px solid {p.border}; border-radius: 0;
        padding: 0; min-height: {ASK_BOX_PX - 8}px;
    }}
    QPushButton[role="askbox"]:disabled {{ background: {p.panel}; border-color: {p.disabled}; }}
    QLabel#askPrompt {{ color: {p.secondary_text}; font-size: {BODY_PX + 4}px; }}
    QFrame#askSearch {{ background: {p.button}; }}
    QFrame#askSearch:disabled {{ background: {p.disabled}; }}
    QLabel#askSearchText {{ color: {p.button_text}; font-size: {BUTTON_PX + 2}px;
        font-weight: bold; }}
    QLabel#askSearchText:disabled {{ color: {p.disabled_text}; }}
    QPushButton[role="mic"] {{
        background: {p.secondary_button}; color: {p.secondary_button_text};
        border: 3px solid {p.border}; border-bottom: 6px solid {p.border};
        min-height: {MIC_PX}px; font-weight: bold; padding: 8px 28px;
    }}
    QPushButton[role="mic"][listening="true"] {{
        background: {p.brand}; color: {p.brand_text}; border-color: #003078;
    }}
    QProgressBar#mic_level {{ background: {p.panel}; border: 2px solid {p.border};
        border-radius: 0; }}
    QProgressBar#mic_level::chunk {{ background: {p.brand}; }}
    QPushButton:disabled {{ background: {p.disabled}; color: {p.disabled_text};
        border-bottom: 4px solid #929191; }}
    QPushButton:focus {{ background: {p.focus}; color: {p.focus_text};
        border-bottom: 4px solid {p.text}; outline: none; }}
    QLineEdit {{ min-height: {TOUCH_MIN_PX}px; font-size: {H2_PX}px;
        border: 3px solid {p.border}; padding: 4px 12px; }}
    QLineEdit:focus {{ border: 4px solid {p.text}; background: {p.background}; }}
    QLineEdit[invalid="true"] {{ border: 4px solid {p.urgent}; }}
    QScrollBar:vertical {{ width: 48px; background: {p.panel}; }}
    QScrollBar::handle:vertical {{ background: #505a5f; min-height: 64px; border-radius: 6px; }}
    QWidget#idleOverlay {{ background: rgba(11, 12, 12, 200); }}
    QFrame#idleCard {{ background: {p.background}; border: 6px solid {p.focus}; }}
    """
