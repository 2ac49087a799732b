"""The scripted demo tour: a visitor's visit, tapped out on the real window."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk.core.session import Screen
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.widgets import KEY_NAMES


def tap(window: KioskWindow, name: str) -> None:
    """Press and release a visible button, as a finger would."""
    QTest.mouseClick(window.find_button(name), Qt.MouseButton.LeftButton)
    QApplication.processEvents()


def type_on_keyboard(window: KioskWindow, text: str) -> None:
    for char in text:
        tap(window, "key_space" if char == " " else f"key_{char.upper()}")


def type_question(window: KioskWindow, text: str) -> None:
    """Type on the Ask screen's text keyboard."""
    for char in text:
        tap(window, f"tkey_{KEY_NAMES.get(char, char)}")


def ask(window: KioskWindow, text: str) -> None:
    """From the home screen: open the Ask box, type, tap Ask and wait for the answer."""
    tap(window, "ask_box")
    type_question(window, text)
    tap(window, "ask_submit")
    for _ in range(400):  # the classifier answers in a worker thread
        if window.session.place.screen is not Screen.ASK:
            return
        window.workers.waitForDone(25)
        QApplication.processEvents()
    raise RuntimeError("the Ask box did not answer within 10 seconds")


def tour(
    window: KioskWindow, advance: Callable[[float], None], shot: Callable[[str], None]
) -> None:
    """Every kind of screen, in English and Welsh; ``shot`` saves each one."""
    shot("attract")
    tap(window, "start")
    shot("home")
    if window.classifier is not None:  # the intent model is built: show the Ask box
        tap(window, "ask_box")
        type_question(window, "my bin wasn't emptied")
        shot("ask-typing")
        tap(window, "back")
        ask(window, "my bin wasn't emptied")
        shot("ask-result-missed-bin")
        tap(window, "start_again")
        ask(window, "i want to renew my passport")
        shot("ask-no-match")
        tap(window, "no_match_browse")
    tap(window, "tile_bins")
    shot("category-bins")
    tap(window, "service_bins.collection_day")
    type_on_keyboard(window, "AN1 2TW")
    shot("question-postcode")
    tap(window, "continue")
    shot("outcome-bin-collections")
    tap(window, "start_again")

    tap(window, "tile_bins")
    tap(window, "service_bins.missed")
    shot("question-choice")
    tap(window, "option_recent")
    tap(window, "lang_cy")
    shot("question-welsh")
    tap(window, "lang_en")
    tap(window, "option_yes")
    type_on_keyboard(window, "an12")
    tap(window, "continue")
    shot("question-postcode-error")
    type_on_keyboard(window, "TW")
    tap(window, "continue")
    shot("check-answers")
    tap(window, "confirm")
    shot("outcome")
    tap(window, "print")
    shot("outcome-printed")
    tap(window, "staff")
    shot("staff-help")
    tap(window, "carry_on")
    tap(window, "dismiss_alert")
    advance(window.settings.idle_after_s + 1)
    window.tick()
    shot("idle-warning")
    tap(window, "idle_yes")
    tap(window, "finished")
    shot("satisfaction")
    tap(window, "face_3")
    shot("attract-after-visit")

    tap(window, "start_cy")
    shot("home-welsh")
    if window.classifier is not None:
        ask(window, "treth gyngor")
        if window.session.place.screen is Screen.CLARIFY:  # the model's call, not ours
            shot("ask-clarify-welsh")
        tap(window, "start_again")
    tap(window, "tile_housing")
    tap(window, "service_housing.homeless")
    shot("question-urgent-welsh")
    tap(window, "option_no")
    shot("outcome-urgent-staff-alert-welsh")
    tap(window, "lang_en")
    shot("outcome-urgent-staff-alert")
    tap(window, "dismiss_alert")
    tap(window, "start_again")
    tap(window, "tile_housing")
    tap(window, "service_housing.repair")
    tap(window, "option_yes")
    shot("outcome-urgent-gas")
    tap(window, "start_again")
    tap(window, "tile_council_tax")
    tap(window, "service_council_tax.discount")
    shot("question-council-tax")
