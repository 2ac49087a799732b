from kiosk.core.content import ContentPack
from kiosk.core.session import Screen, Session


def visit(pack: ContentPack) -> Session:
    session = Session(pack)
    session.begin("en")
    return session


def test_begin_shows_home_and_can_choose_language(pack: ContentPack) -> None:
    session = Session(pack)
    assert session.place.screen is Screen.ATTRACT
    session.begin("cy")
    assert session.place.screen is Screen.HOME and session.language == "cy"


def test_tile_opens_category_then_service(pack: ContentPack) -> None:
    session = visit(pack)
    assert session.open_tile("bins") is None
    assert session.place.screen is Screen.CATEGORY and session.place.tile == "bins"
    session.open_service("bins.missed")
    assert session.place.page == "when"
    assert session.services_reached == ["bins.missed"]


def test_back_retraces_and_never_leaves_home(pack: ContentPack) -> None:
    session = visit(pack)
    session.open_tile("bins")
    session.open_service("bins.missed")
    session.choose("recent")
    assert session.place.page == "put_out"
    session.back()
    assert session.place.page == "when"
    session.back()
    assert session.place.screen is Screen.CATEGORY
    session.back()
    assert session.place.screen is Screen.HOME
    session.back()
    assert session.place.screen is Screen.HOME


def test_check_answers_lists_answers_and_change_goes_back(pack: ContentPack) -> None:
    session = visit(pack)
    session.open_service("bins.missed")
    session.choose("recent")
    session.choose("yes")
    session.enter_postcode("an1 2tw")
    rows = session.answer_rows()
    assert [r.page_id for r in rows] == ["when", "put_out", "postcode"]
    assert rows[2].answer == {"en": "AN1 2TW"}
    session.change_answer("put_out")
    assert session.place.page == "put_out"
    assert session.answers["when"] == "recent"
    session.choose("no")
    assert session.place.page == "not_out"


def test_language_switch_keeps_place_and_answers(pack: ContentPack) -> None:
    session = visit(pack)
    session.open_service("bins.missed")
    session.choose("recent")
    place, answers = session.place, dict(session.answers)
    session.set_language("cy")
    assert session.place == place and session.answers == answers


def test_staff_tile_raises_alert_and_visitor_can_carry_on(pack: ContentPack) -> None:
    session = visit(pack)
    assert session.open_tile("staff") == "staff"
    assert session.staff_alert and session.place.screen is Screen.STAFF_HELP
    session.back()
    assert session.place.screen is Screen.HOME and session.staff_alert


def test_finish_then_wipe_forgets_everything(pack: ContentPack) -> None:
    session = visit(pack)
    session.set_language("cy")
    session.open_service("bins.missed")
    session.choose("older")
    session.ask_for_staff()
    session.finish()
    assert session.place.screen is Screen.SATISFACTION
    session.wipe()
    assert session.place.screen is Screen.ATTRACT
    assert session.answers == {} and session.services_reached == []
    assert session.language == "en"
    assert session.staff_alert  # stays until staff dismiss it: it holds no visitor data
    session.dismiss_staff_alert()
    assert not session.staff_alert


def test_start_again_clears_answers(pack: ContentPack) -> None:
    session = visit(pack)
    session.open_service("bins.missed")
    session.choose("recent")
    session.start_again()
    assert session.place.screen is Screen.HOME and session.answers == {}
