"""The Ask box, driven by touch: type on the on-screen keys, tap Ask, land in the right place.

Two kinds of test here, never mixed up:
- a small FAKE classifier (chosen answers, optionally held back) for the screens'
  behaviour: clarification, can't-help, thinking state, failures, disabled box;
- the REAL model (``models/nlu``, built by ``kiosk nlu build``) for the claim that
  typing a real request opens the right journey, in English and in Welsh.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from kiosk.config import Settings
from kiosk.core.session import Screen
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.widgets import AskBox
from tests.ui.fake_classifier import FakeClassifier

Tap = Callable[[str], None]


@pytest.fixture
def fake() -> FakeClassifier:
    return FakeClassifier()


@pytest.fixture
def kiosk_classifier(fake: FakeClassifier) -> FakeClassifier:
    return fake


def shown(window: KioskWindow) -> str:
    return "\n".join(label.text() for label in window.findChildren(QLabel) if label.isVisible())


def entry(window: KioskWindow) -> QLineEdit:
    found = window.current_screen().findChild(QLineEdit, "ask_entry")
    assert found is not None
    return found


def ask_box(window: KioskWindow) -> AskBox:
    found = window.current_screen().findChild(AskBox, "ask_box")
    assert found is not None and found.isVisible()
    return found


@pytest.fixture
def ask(qtbot, window: KioskWindow, tap: Tap, type_text: Tap) -> Callable[[str], None]:
    """From wherever the visitor is in the Ask box: type the text, tap Ask, wait for the answer."""

    def asking(text: str) -> None:
        if window.session.place.screen is not Screen.ASK:
            tap("ask_box")
        type_text(text)
        assert entry(window).text() == text
        tap("ask_submit")
        qtbot.waitUntil(lambda: window.session.place.screen is not Screen.ASK, timeout=10_000)

    return asking


# --- with the fake classifier -----------------------------------------------------------


def test_home_has_the_ask_box_at_the_top(window: KioskWindow, tap: Tap) -> None:
    tap("start")
    box = ask_box(window)
    assert box.isEnabled()
    assert box.accessibleName() == "What do you need help with? Type it here"
    assert box.y() < window.find_button("tile_council_tax").y()
    tap("ask_box")
    assert window.session.place.screen is Screen.ASK
    assert "Type a few words" in shown(window)
    assert window.find_button("back").isVisible()


def test_the_keyboard_types_deletes_and_clears(window: KioskWindow, tap: Tap) -> None:
    tap("start")
    tap("ask_box")
    for key in ("tkey_m", "tkey_y", "tkey_space", "tkey_b", "tkey_apostrophe", "tkey_hyphen"):
        tap(key)
    assert entry(window).text() == "my b'-"
    tap("tkey_delete")
    assert entry(window).text() == "my b'"
    tap("tkey_clear")
    assert entry(window).text() == ""
    assert window.find_button("tkey_apostrophe").accessibleName() == "Apostrophe"
    with pytest.raises(LookupError):
        window.find_button("tkey_ŵ")  # English keys: no Welsh accents
    for key in window.findChildren(type(window.find_button("tkey_a"))):
        if key.objectName().startswith("tkey_") and key.isVisible():
            assert key.width() >= 48 and key.height() >= 48, key.objectName()


def test_welsh_keyboard_has_the_accented_letters(window: KioskWindow, tap: Tap) -> None:
    tap("start_cy")
    tap("ask_box")
    for letter in "âêîôûŵŷáéíóúàèìòùäëïöü":
        tap(f"tkey_{letter}")
    assert entry(window).text() == "âêîôûŵŷáéíóúàèìòùäëïöü"
    assert window.find_button("ask_submit").text() == "Gofyn"


def test_an_empty_question_asks_for_words_first(
    window: KioskWindow, tap: Tap, fake: FakeClassifier
) -> None:
    tap("start")
    tap("ask_box")
    tap("tkey_space")
    tap("ask_submit")
    assert "Type what you need help with first" in shown(window)
    assert fake.calls == [] and window.session.place.screen is Screen.ASK
    tap("tkey_a")
    assert "Type what you need help with first" not in shown(window)


def test_a_clear_request_opens_its_journey_off_the_ui_thread(
    window: KioskWindow, ask: Callable[[str], None], fake: FakeClassifier
) -> None:
    window.begin("en")
    ask("bin not emptied")
    assert window.session.place.service == "bins.missed"
    assert "When should your bin have been collected?" in shown(window)
    (text, lang, thread), *_ = fake.calls
    assert (text, lang) == ("bin not emptied", "en")
    assert thread != threading.main_thread().name


def test_a_postcode_in_the_question_is_offered_on_the_postcode_page(
    qtbot, window: KioskWindow, tap: Tap
) -> None:
    """A postcode said or typed in the question (speech will bring digits) is offered later."""
    window.begin("en")
    tap("ask_box")
    entry(window).setText("bin not emptied at an1 2tw")  # as speech recognition would fill it
    tap("ask_submit")
    qtbot.waitUntil(lambda: window.session.place.screen is not Screen.ASK, timeout=10_000)
    assert window.session.prefill == {"postcode": "AN1 2TW"}
    tap("option_recent")
    tap("option_yes")
    postcode = window.current_screen().findChild(QLineEdit, "postcode_entry")
    assert postcode is not None and postcode.text() == "AN1 2TW"
    tap("continue")  # the visitor still confirms it
    assert window.session.answers["postcode"] == "AN1 2TW"
    tap("start_again")
    assert window.session.prefill == {}


def test_thinking_is_shown_while_the_classifier_works(
    qtbot, window: KioskWindow, tap: Tap, type_text: Tap, fake: FakeClassifier
) -> None:
    tap("start")
    tap("ask_box")
    type_text("bin not emptied")
    fake.go.clear()
    tap("ask_submit")
    assert "Thinking…" in shown(window)
    submit = window.current_screen().findChild(QPushButton, "ask_submit")
    assert submit is not None and not submit.isVisible()  # "Thinking…" shows in its place
    assert not window.find_button("tkey_a").isEnabled()
    fake.go.set()
    qtbot.waitUntil(lambda: window.session.place.service == "bins.missed", timeout=10_000)


def test_an_answer_for_a_screen_that_is_gone_is_ignored(
    qtbot, window: KioskWindow, tap: Tap, type_text: Tap, fake: FakeClassifier
) -> None:
    tap("start")
    tap("ask_box")
    type_text("bin not emptied")
    fake.go.clear()
    tap("ask_submit")
    tap("back")
    fake.go.set()
    window.workers.waitForDone(5000)
    qtbot.wait(50)  # let the queued answer arrive
    assert window.session.place.screen is Screen.HOME
    assert window.session.services_reached == []


def test_close_requests_show_did_you_mean(
    window: KioskWindow, tap: Tap, ask: Callable[[str], None]
) -> None:
    window.begin("en")
    ask("bins")
    assert window.session.place.screen is Screen.CLARIFY
    text = shown(window)
    assert "Did you mean…?" in text
    first, second = window.find_button("clarify_0"), window.find_button("clarify_1")
    assert first.accessibleName() == window.pick(window.pack.services["bins.new_bin"].title)
    assert second.accessibleName() == window.pick(window.pack.services["bins.collection_day"].title)
    tap("clarify_1")
    assert window.session.place.service == "bins.collection_day"
    tap("back")
    assert window.session.place.screen is Screen.CLARIFY
    tap("clarify_other")
    assert window.session.place.screen is Screen.HOME


def test_out_of_scope_says_sorry_and_offers_a_way_on(
    window: KioskWindow, tap: Tap, ask: Callable[[str], None]
) -> None:
    window.begin("en")
    ask("passport")
    assert window.session.place.screen is Screen.NO_MATCH
    assert "Sorry, I can't help with that here" in shown(window)
    assert window.session.not_understood == 1
    tap("no_match_retry")
    assert window.session.place.screen is Screen.ASK and entry(window).text() == ""
    ask("passport")
    tap("no_match_staff")
    assert window.session.place.screen is Screen.STAFF_HELP and window.alert_bar.isVisible()
    tap("carry_on")
    assert window.session.place.screen is Screen.NO_MATCH
    tap("no_match_browse")
    assert window.session.place.screen is Screen.HOME
    assert window.session.not_understood == 2


def test_the_same_in_welsh(window: KioskWindow, tap: Tap, ask: Callable[[str], None]) -> None:
    window.begin("cy")
    ask("biniau")
    assert "Oeddech chi'n golygu…?" in shown(window)
    assert window.find_button("clarify_0").accessibleName() == window.pack.services[
        "bins.new_bin"
    ].title.get("cy")
    assert window.find_button("clarify_other").text() == "Rhywbeth arall"
    tap("clarify_other")
    ask("pasbort")
    assert "Mae'n ddrwg gen i, alla i ddim helpu gyda hynny yma" in shown(window)
    assert window.find_button("no_match_browse").text() == "Pori drwy'r holl wasanaethau"


def test_asking_for_staff_or_welsh_runs_the_action(
    window: KioskWindow, tap: Tap, type_text: Tap, ask: Callable[[str], None], qtbot
) -> None:
    window.begin("en")
    ask("staff")
    assert window.session.place.screen is Screen.STAFF_HELP and window.alert_bar.isVisible()
    tap("dismiss_alert")
    tap("start_again")
    tap("ask_box")
    type_text("cymraeg")
    tap("ask_submit")
    qtbot.waitUntil(lambda: window.session.language == "cy", timeout=10_000)
    assert window.session.place.screen is Screen.ASK
    window.find_button("tkey_ŵ")  # the keyboard is redrawn with the Welsh letters


def test_an_urgent_request_opens_its_triage(
    window: KioskWindow, ask: Callable[[str], None]
) -> None:
    window.begin("en")
    ask("nowhere to sleep")
    service = window.pack.services["housing.homeless"]
    assert window.session.place.service == service.id
    assert window.session.place.page == service.start


def test_a_classifier_failure_turns_the_box_off_and_alerts_staff(
    qtbot, window: KioskWindow, tap: Tap, type_text: Tap, fake: FakeClassifier
) -> None:
    tap("start")
    tap("ask_box")
    type_text("bins")
    fake.fail = True
    tap("ask_submit")
    qtbot.waitUntil(lambda: window.session.place.screen is Screen.HOME, timeout=10_000)
    assert not ask_box(window).isEnabled() and window.classifier is None
    assert "not available on this kiosk right now" in shown(window)
    assert window.alert_bar.isVisible() and "intent model is missing" in shown(window)


def test_the_visitors_words_are_not_kept(
    window: KioskWindow, tap: Tap, ask: Callable[[str], None], fake: FakeClassifier
) -> None:
    window.begin("en")
    ask("passport")
    tap("no_match_retry")
    ask("bin not emptied")
    kept = {k: v for k, v in vars(window.session).items() if k != "pack"}
    assert "passport" not in repr(kept) and "emptied" not in repr(kept)
    assert all(job.text == "" for job in window._ask_jobs)
    tap("start_again")
    assert "passport" not in shown(window)


class TestWithoutAClassifier:
    @pytest.fixture
    def kiosk_classifier(self) -> None:
        return None

    def test_the_box_is_disabled_with_an_explanation(self, window: KioskWindow, tap: Tap) -> None:
        tap("start")
        box = ask_box(window)
        assert not box.isEnabled()
        assert "Typing a question is not available on this kiosk right now." in shown(window)
        tap("ask_box")  # a disabled box does nothing
        assert window.session.place.screen is Screen.HOME
        assert not window.alert_bar.isVisible()  # no model given is not a fault
        tap("tile_bins")  # touch still works
        assert window.session.place.screen is Screen.CATEGORY

    def test_welsh_explanation(self, window: KioskWindow, tap: Tap) -> None:
        tap("start_cy")
        assert "Does dim modd teipio cwestiwn ar y ciosg hwn" in shown(window)


class TestWhenTheModelFailedToLoad:
    @pytest.fixture
    def kiosk_classifier(self) -> None:
        return None

    @pytest.fixture
    def kiosk_classifier_error(self) -> str:
        return "/x/models/nlu/heads.onnx is missing; run `kiosk nlu build`"

    def test_staff_are_alerted_once_and_touch_still_works(
        self, window: KioskWindow, tap: Tap
    ) -> None:
        assert window.alert_bar.isVisible()
        tap("start")
        assert not ask_box(window).isEnabled()
        assert "the Ask box is off" in shown(window)
        assert "heads.onnx" not in shown(window)  # file paths are for the log, not the public
        tap("dismiss_alert")
        assert not window.alert_bar.isVisible()
        tap("tile_bins")
        assert not window.alert_bar.isVisible()


def test_make_window_names_a_missing_or_corrupt_model_file(
    qtbot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.ui.launch import make_window

    models = tmp_path / "models"
    settings = Settings(data_dir=tmp_path / "data", models_dir=models, fullscreen=False)
    _app, window = make_window(settings)
    qtbot.addWidget(window)
    err = capsys.readouterr().err
    assert f"{models / 'nlu' / 'manifest.json'} is missing" in err
    assert "kiosk nlu build" in err and "works by touch" in err
    assert window.classifier is None and window.session.staff_alert
    assert window.classifier_error is not None and "manifest.json" in window.classifier_error

    real = Settings().models_dir / "nlu"
    if not (real / "manifest.json").is_file():
        return
    (models / "nlu").mkdir(parents=True)
    shutil.copy(real / "manifest.json", models / "nlu")
    for name in ("encoder.onnx", "vocab.npz", "heads.onnx"):
        (models / "nlu" / name).write_bytes(b"not a model")
    _app, window = make_window(settings)
    qtbot.addWidget(window)
    err = capsys.readouterr().err
    assert "encoder.onnx is corrupt" in err and "kiosk nlu build" in err
    assert window.classifier is None


# --- with the real model ------------------------------------------------------------------


class TestWithTheRealModel:
    @pytest.fixture
    def kiosk_classifier(self, intent_classifier):  # type: ignore[no-untyped-def]
        return intent_classifier

    @staticmethod
    def check(window: KioskWindow, text: str, lang: str) -> str:
        """What the model made of it, for a failure message that explains itself."""
        assert window.classifier is not None
        result = window.classifier.classify(text, lang)
        return f"{text!r} ({lang}) -> {result.decision.value} {result.to_json()}"

    @pytest.mark.parametrize(
        ("lang", "text"),
        [
            ("en", "my bin wasnt emptied"),
            ("en", "my bin wasn't emptied"),
            ("cy", "dydy fy min i ddim wedi cael ei gasglu"),
            ("cy", "chafodd fy min ddim ei gasglu"),
        ],
    )
    def test_typing_a_missed_bin_opens_the_missed_bin_journey(
        self, window: KioskWindow, ask: Callable[[str], None], lang: str, text: str
    ) -> None:
        window.begin(lang)
        ask(text)
        assert window.session.place.service == "bins.missed", self.check(window, text, lang)
        assert window.session.place.page == window.pack.services["bins.missed"].start
        question = window.pack.services["bins.missed"].page("when").question[lang]
        assert question in shown(window)

    def test_welsh_accents_typed_on_the_keys_reach_the_model(
        self, window: KioskWindow, ask: Callable[[str], None]
    ) -> None:
        window.begin("cy")
        ask("dw i eisiau ymuno â'r llyfrgell")
        assert window.session.place.service == "library.join", self.check(
            window, "dw i eisiau ymuno â'r llyfrgell", "cy"
        )

    @pytest.mark.parametrize(
        ("lang", "text", "title"),
        [
            ("en", "i want to renew my passport", "Sorry, I can't help with that here"),
            (
                "cy",
                "dw i eisiau adnewyddu fy mhasbort",
                "Mae'n ddrwg gen i, alla i ddim helpu gyda hynny yma",
            ),
        ],
    )
    def test_out_of_scope_shows_the_fallback(
        self, window: KioskWindow, ask: Callable[[str], None], lang: str, text: str, title: str
    ) -> None:
        window.begin(lang)
        ask(text)
        assert window.session.place.screen is Screen.NO_MATCH, self.check(window, text, lang)
        assert title in shown(window)

    @pytest.mark.parametrize(
        ("lang", "text", "prefix"),
        [("en", "bins", "bins."), ("cy", "biniau", "bins.")],
    )
    def test_a_vague_request_asks_did_you_mean(
        self,
        window: KioskWindow,
        ask: Callable[[str], None],
        tap: Tap,
        lang: str,
        text: str,
        prefix: str,
    ) -> None:
        window.begin(lang)
        ask(text)
        assert window.session.place.screen is Screen.CLARIFY, self.check(window, text, lang)
        assert window.session.clarify is not None
        assert all(intent.startswith(prefix) for intent in window.session.clarify)
        tap("clarify_0")
        service = window.pack.service_for_intent(window.session.clarify[0])
        assert service is not None and window.session.place.service == service.id
