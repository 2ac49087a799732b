"""Drive the real window through visits by touch, as a citizen would."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel

from kiosk.core.clock import FakeClock
from kiosk.core.session import Screen
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.widgets import QrCode

Tap = Callable[[str], None]


def texts(window: KioskWindow) -> str:
    return "\n".join(label.text() for label in window.findChildren(QLabel) if label.isVisible())


def test_full_visit_by_touch(window: KioskWindow, tap: Tap, type_keys: Tap) -> None:
    assert window.session.place.screen is Screen.ATTRACT
    assert "Anytown Council" in texts(window) and "DEMO" in texts(window)
    tap("start")
    assert "What do you need help with?" in texts(window)
    tap("tile_bins")
    tap("service_bins.missed")
    assert "When should your bin have been collected?" in texts(window)
    tap("option_recent")
    tap("option_yes")
    type_keys("AN1 2TW")
    tap("continue")
    assert window.session.place.page == "check"
    shown = texts(window)
    assert "Check your answers" in shown and "AN1 2TW" in shown
    tap("confirm")
    assert window.session.place.page == "reported"
    assert "What to do next" in texts(window)
    qr = window.current_screen().findChild(QrCode, "qr")
    assert qr is not None and qr.url == "https://www.anytown.example/bins/missed"
    tap("finished")
    assert window.session.place.screen is Screen.SATISFACTION
    tap("face_3")
    assert window.session.place.screen is Screen.ATTRACT
    assert window.session.answers == {} and window.session.services_reached == []
    assert "has been deleted" in texts(window)


def test_printing_without_a_printer_saves_a_pdf(window: KioskWindow, tap: Tap, settings) -> None:  # type: ignore[no-untyped-def]
    tap("start")
    tap("tile_hours")
    tap("print")
    pdfs = list(settings.printouts_dir.glob("*.pdf"))
    assert len(pdfs) == 1
    data = pdfs[0].read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 1000
    assert "saved for staff" in texts(window)


def test_bin_day_outcome_computes_dates_from_today(
    window: KioskWindow, tap: Tap, type_keys: Tap, clock: FakeClock
) -> None:
    rounds = window.pack.bin_rounds
    assert rounds is not None
    postcode = rounds.streets[0].postcode
    tap("start")
    tap("tile_bins")
    tap("service_bins.collection_day")
    type_keys(postcode)
    tap("continue")
    shown = texts(window)
    assert "Your next collections" in shown and postcode in shown
    first = window.session.collections(clock.today())[0].dates[0].date
    assert window.catalogue.date("en", first) in shown


def test_bad_postcode_shows_a_clear_error_and_stays(
    window: KioskWindow, tap: Tap, type_keys: Tap
) -> None:
    tap("start")
    tap("tile_bins")
    tap("service_bins.collection_day")
    place = window.session.place
    tap("continue")
    assert "Enter your postcode" in texts(window)
    type_keys("AN1")
    tap("continue")
    assert "Enter a full UK postcode, like AN1 2TW" in texts(window)
    assert window.session.place == place


def test_idle_warning_then_timeout_wipes_the_visit(
    window: KioskWindow, tap: Tap, clock: FakeClock
) -> None:
    tap("start_cy")
    tap("tile_bins")
    tap("service_bins.missed")
    tap("option_recent")
    clock.advance(59)
    window.tick()
    assert not window.overlay.isVisible()
    clock.advance(2)
    window.tick()
    assert window.overlay.isVisible()
    assert "Oes angen mwy o amser arnoch chi?" in texts(window)
    clock.advance(29)
    window.tick()
    assert window.session.place.screen is Screen.ATTRACT
    assert not window.overlay.isVisible()
    assert window.session.answers == {} and window.session.language == "en"


def test_yes_i_need_more_time_keeps_the_visit(
    window: KioskWindow, tap: Tap, clock: FakeClock
) -> None:
    tap("start")
    tap("tile_bins")
    clock.advance(window.settings.idle_after_s + 5)
    window.tick()
    assert window.overlay.isVisible()
    assert "will end in 25 seconds" in texts(window)
    tap("idle_yes")
    assert not window.overlay.isVisible()
    clock.advance(window.settings.idle_after_s - 1)
    window.tick()
    assert window.session.place.screen is Screen.CATEGORY


def test_any_touch_resets_the_idle_timer(window: KioskWindow, tap: Tap, clock: FakeClock) -> None:
    tap("start")
    clock.advance(50)
    tap("tile_bins")
    clock.advance(50)
    window.tick()
    assert not window.overlay.isVisible()


def test_language_switch_mid_journey_keeps_the_place(window: KioskWindow, tap: Tap) -> None:
    tap("start")
    tap("tile_bins")
    tap("service_bins.missed")
    tap("option_recent")
    place, answers = window.session.place, dict(window.session.answers)
    tap("lang_cy")
    assert window.session.place == place and window.session.answers == answers
    assert "Oedd eich bin ar ymyl y palmant erbyn 7am ar y diwrnod casglu?" in texts(window)
    assert window.find_button("back").text() == "Yn ôl"
    tap("lang_en")
    assert "Was your bin at the kerbside by 7am on collection day?" in texts(window)


def test_staff_help_on_every_page_raises_a_dismissable_alert(window: KioskWindow, tap: Tap) -> None:
    tap("start")
    tap("tile_bins")
    tap("service_bins.missed")
    tap("staff")
    assert window.session.place.screen is Screen.STAFF_HELP
    shown = texts(window)
    assert "Help is on its way" in shown and "help desk is on the ground floor" in shown
    assert window.alert_bar.isVisible()
    tap("carry_on")
    assert window.session.place.page == "when"
    assert window.alert_bar.isVisible()
    tap("dismiss_alert")
    assert not window.alert_bar.isVisible()


def test_staff_alert_outlives_a_timed_out_visit(
    window: KioskWindow, tap: Tap, clock: FakeClock
) -> None:
    tap("start")
    tap("tile_staff")
    clock.advance(window.settings.idle_after_s + window.settings.idle_countdown_s + 1)
    window.tick()
    assert window.session.place.screen is Screen.ATTRACT
    assert window.alert_bar.isVisible()
    tap("dismiss_alert")
    assert not window.alert_bar.isVisible()


def test_talk_to_staff_tile(window: KioskWindow, tap: Tap) -> None:
    tap("start")
    tap("tile_staff")
    assert window.session.place.screen is Screen.STAFF_HELP and window.alert_bar.isVisible()


def test_homelessness_tonight_goes_straight_to_staff(window: KioskWindow, tap: Tap) -> None:
    tap("start")
    tap("tile_housing")
    tap("service_housing.homeless")
    service = window.pack.services["housing.homeless"]
    first = service.page(service.start)
    urgent = next(o for o in first.options if getattr(service.page(o.next), "alert_staff", False))
    tap(f"option_{urgent.value}")
    assert window.alert_bar.isVisible()
    shown = texts(window)
    assert "Act now" in shown and window.pack.info.help_desk.out_of_hours in shown


def test_back_and_start_again(window: KioskWindow, tap: Tap) -> None:
    tap("start")
    tap("tile_bins")
    tap("service_bins.missed")
    tap("option_older")
    tap("back")
    assert window.session.place.page == "when"
    tap("start_again")
    assert window.session.place.screen is Screen.HOME
