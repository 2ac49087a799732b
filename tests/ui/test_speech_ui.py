"""Speaking to the kiosk and having pages read aloud, in the real window.

Two kinds of test, never mixed up:
- FAKE engines (tests/ui/fake_speech.py: a scripted recogniser, a tone for a
  microphone, a synthesiser and player that only remember) for the screens'
  behaviour: where the microphone appears, the meter and live words, "Did you
  say…?", grammar on choice pages, a failing microphone, read aloud, barge-in;
- REAL speech (TestRealSpeech): flite-synthesised requests fed as WAV files in
  place of the microphone, through the real recogniser (PocketSphinx, or Vosk
  where IT installed an English model) and the real intent model, to the
  journey screen.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QProgressBar, QPushButton, QWidget

from kiosk.config import Settings
from kiosk.core.content import ChoicePage, ContentPack, OutcomePage
from kiosk.core.session import Screen
from kiosk.speech.audio import read_wav
from kiosk.speech.capture import MicrophoneError, WavSource
from kiosk.speech.types import SAMPLE_RATE
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.speech_controller import SpeechController
from kiosk.ui.speech_widgets import LOW_CONFIDENCE, level_percent, screen_text
from tests.ui.fake_classifier import FakeClassifier
from tests.ui.fake_speech import FakePlayer, FakeRecogniser, FakeSource, FakeSynthesiser
from tests.ui.test_accessibility import check_screen

Tap = Callable[[str], None]


class Microphone:
    """Makes a FakeSource per utterance; can be missing, or fail part-way through."""

    def __init__(self) -> None:
        self.missing = False
        self.fail_after: int | None = None
        self.sources: list[FakeSource] = []

    def open(self) -> FakeSource:
        if self.missing:
            raise MicrophoneError("no microphone is available; check the cable")
        source = FakeSource(self.fail_after)
        self.sources.append(source)
        return source


@pytest.fixture
def recognisers() -> dict[str, FakeRecogniser]:
    """English can be heard; Welsh has no recogniser (as today)."""
    return {"en": FakeRecogniser("en")}


@pytest.fixture
def english(recognisers: dict[str, FakeRecogniser]) -> FakeRecogniser:
    return recognisers["en"]


@pytest.fixture
def microphone() -> Microphone:
    return Microphone()


@pytest.fixture
def synthesiser() -> FakeSynthesiser:
    return FakeSynthesiser()


@pytest.fixture
def player() -> FakePlayer:
    return FakePlayer()


@pytest.fixture
def kiosk_speech(
    recognisers: dict[str, FakeRecogniser],
    microphone: Microphone,
    synthesiser: FakeSynthesiser,
    player: FakePlayer,
) -> SpeechController:
    return SpeechController(
        recogniser_for=recognisers.get,
        source=microphone.open,
        synthesiser=synthesiser,
        player=player,
    )


@pytest.fixture
def fake() -> FakeClassifier:
    return FakeClassifier()


@pytest.fixture
def kiosk_classifier(fake: FakeClassifier) -> FakeClassifier:
    return fake


def visible(window: KioskWindow, cls: type[QWidget], name: str) -> QWidget | None:
    for found in window.current_screen().findChildren(cls, name):
        if found.isVisible():
            return found
    return None


def shown(window: KioskWindow) -> str:
    return "\n".join(label.text() for label in window.findChildren(QLabel) if label.isVisible())


def entry_text(window: KioskWindow) -> str:
    entry = window.current_screen().findChild(QLineEdit, "ask_entry")
    assert entry is not None
    return entry.text()


def open_put_out_page(window: KioskWindow, tap: Tap, lang: str = "en") -> None:
    """The missed-bin question 'Was your bin at the kerbside by 7am?' (Yes / No)."""
    window.begin(lang)
    window.open_service("bins.missed")
    tap("option_recent")
    assert window.session.place.page == "put_out"


# --- where the microphone appears ------------------------------------------------------


def test_the_microphone_is_offered_where_a_recogniser_exists(window: KioskWindow, tap: Tap) -> None:
    window.begin("en")
    assert visible(window, QPushButton, "mic") is None  # home: the Ask box and tiles only
    tap("ask_box")
    mic = window.find_button("mic")
    assert mic.text() == "Speak" and mic.accessibleName() == "Speak instead of tapping or typing"
    assert mic.height() >= 64 and mic.width() >= 64 and not mic.icon().isNull()
    assert "Or tap Speak and say what you need" in shown(window)
    assert visible(window, QProgressBar, "mic_level") is None  # only while listening
    check_screen(window, "ask with the microphone")

    tap("lang_cy")  # Welsh has no recogniser yet: no microphone, and the hint says so
    assert visible(window, QPushButton, "mic") is None
    assert "Does dim modd gofyn drwy siarad yn Gymraeg eto" in shown(window)
    window.find_button("tkey_ŵ")  # typing works as before
    tap("lang_en")
    window.find_button("mic")


def test_choice_pages_have_the_microphone_other_pages_do_not(window: KioskWindow, tap: Tap) -> None:
    open_put_out_page(window, tap)
    window.find_button("mic")
    check_screen(window, "choice with the microphone")
    tap("option_yes")
    assert window.session.place.page == "postcode"
    assert visible(window, QPushButton, "mic") is None
    tap("lang_cy")
    tap("back")
    assert window.session.place.page == "put_out"
    assert visible(window, QPushButton, "mic") is None  # Welsh: touch only, nothing else changes
    window.find_button("option_yes")


class TestWithoutSpeech:
    @pytest.fixture
    def kiosk_speech(self) -> None:
        return None

    def test_no_microphone_and_no_read_aloud(self, window: KioskWindow, tap: Tap) -> None:
        window.begin("en")
        tap("ask_box")
        assert visible(window, QPushButton, "mic") is None
        assert "Speak" not in shown(window)
        with pytest.raises(LookupError):
            window.find_button("read_aloud")


# --- listening on the Ask screen ---------------------------------------------------------------


def test_words_appear_as_they_are_spoken_then_are_asked(
    qtbot, window: KioskWindow, tap: Tap, english: FakeRecogniser, fake: FakeClassifier
) -> None:
    english.will_hear("bin not emptied", 0.92, partials=["bin", "bin not", "bin not emptied"])
    window.begin("en")
    tap("ask_box")
    tap("mic")
    qtbot.waitUntil(lambda: entry_text(window) == "bin not emptied", timeout=5000)
    mic = window.find_button("mic")
    assert mic.text() == "Listening… tap to stop"
    level = visible(window, QProgressBar, "mic_level")
    assert isinstance(level, QProgressBar) and level.accessibleName()
    qtbot.waitUntil(lambda: level.value() > 0, timeout=5000)
    assert fake.calls == []  # nothing is asked until the visitor has finished
    check_screen(window, "ask while listening")
    tap("mic")  # tap again: finished speaking
    qtbot.waitUntil(lambda: window.session.place.service == "bins.missed", timeout=5000)
    assert [(text, lang) for text, lang, _ in fake.calls] == [("bin not emptied", "en")]
    assert english.grammars == [None]  # the Ask screen listens freely


def test_an_endpoint_ends_listening_by_itself(
    qtbot, window: KioskWindow, tap: Tap, english: FakeRecogniser
) -> None:
    english.will_hear("bin not emptied", 0.9, partials=["bin"], final_at=5)
    window.begin("en")
    tap("ask_box")
    tap("mic")
    qtbot.waitUntil(lambda: window.session.place.service == "bins.missed", timeout=5000)


def test_low_confidence_asks_did_you_say_before_acting(
    qtbot, window: KioskWindow, tap: Tap, english: FakeRecogniser, fake: FakeClassifier
) -> None:
    assert LOW_CONFIDENCE == 0.6
    english.will_hear("bin not emptied", 0.41, final_at=3)
    window.begin("en")
    tap("ask_box")
    tap("mic")
    qtbot.waitUntil(lambda: visible(window, QWidget, "did_you_say") is not None, timeout=5000)
    assert "Did you say: “bin not emptied”?" in shown(window)
    assert entry_text(window) == "bin not emptied"
    assert fake.calls == [] and window.session.place.screen is Screen.ASK
    assert window.find_button("mic").text() == "Speak"
    check_screen(window, "did you say")
    tap("did_you_say_yes")
    qtbot.waitUntil(lambda: window.session.place.service == "bins.missed", timeout=5000)
    assert [text for text, _, _ in fake.calls] == ["bin not emptied"]


def test_no_clears_the_words_and_listens_again(
    qtbot, window: KioskWindow, tap: Tap, english: FakeRecogniser, fake: FakeClassifier
) -> None:
    english.will_hear("been not emptied", 0.2, final_at=3)
    english.will_hear("bin not emptied", 0.95, partials=["bin"], final_at=6)
    window.begin("en")
    tap("ask_box")
    tap("mic")
    qtbot.waitUntil(lambda: visible(window, QWidget, "did_you_say") is not None, timeout=5000)
    tap("did_you_say_no")
    assert visible(window, QWidget, "did_you_say") is None
    assert entry_text(window) in ("", "bin")  # cleared; the second try may have begun
    qtbot.waitUntil(lambda: window.session.place.service == "bins.missed", timeout=5000)
    assert [text for text, _, _ in fake.calls] == ["bin not emptied"]


def test_typing_stops_listening_and_the_keys_win(
    qtbot, window: KioskWindow, tap: Tap, english: FakeRecogniser, fake: FakeClassifier
) -> None:
    english.will_hear("council tax", 0.9, partials=["council"])
    window.begin("en")
    tap("ask_box")
    tap("mic")
    qtbot.waitUntil(lambda: entry_text(window) == "council", timeout=5000)
    tap("tkey_clear")
    for key in "bins":
        tap(f"tkey_{key}")
    qtbot.wait(100)
    assert not window.speech.listening  # type: ignore[union-attr]
    assert entry_text(window) == "bins"
    assert window.find_button("mic").text() == "Speak"
    assert fake.calls == []


def test_nothing_heard_says_sorry(
    qtbot, window: KioskWindow, tap: Tap, english: FakeRecogniser
) -> None:
    english.will_hear("", 0.0, final_at=3)
    window.begin("en")
    tap("ask_box")
    tap("mic")
    qtbot.waitUntil(lambda: "Sorry, I didn't catch that" in shown(window), timeout=5000)
    assert window.session.place.screen is Screen.ASK
    window.find_button("mic")  # try again, or type


def test_words_for_a_page_that_is_gone_are_dropped(
    qtbot, window: KioskWindow, tap: Tap, english: FakeRecogniser, fake: FakeClassifier
) -> None:
    english.will_hear("bin not emptied", 0.95, partials=["bin"])
    window.begin("en")
    tap("ask_box")
    tap("mic")
    qtbot.waitUntil(lambda: entry_text(window) == "bin", timeout=5000)
    tap("back")
    qtbot.wait(200)
    assert window.session.place.screen is Screen.HOME and fake.calls == []
    assert not window.speech.listening  # type: ignore[union-attr]


# --- choice pages: restricted grammar -----------------------------------------------------------


def test_saying_an_answer_picks_the_option(
    qtbot, window: KioskWindow, tap: Tap, english: FakeRecogniser
) -> None:
    english.will_hear("yeah", 0.95, partials=["yeah"], final_at=4)
    open_put_out_page(window, tap)
    tap("mic")
    qtbot.waitUntil(lambda: window.session.place.page == "postcode", timeout=5000)
    assert window.session.answers["put_out"] == "yes"
    grammar = english.grammars[-1]
    assert grammar is not None
    assert {"yes", "yeah", "yep", "correct", "no", "nope", "not really"} <= set(grammar)


def test_the_words_heard_show_under_the_microphone(
    qtbot, window: KioskWindow, tap: Tap, english: FakeRecogniser
) -> None:
    english.will_hear("no", 0.9, partials=["no"])
    open_put_out_page(window, tap)
    tap("mic")
    qtbot.waitUntil(lambda: visible(window, QLabel, "mic_heard") is not None, timeout=5000)
    heard = visible(window, QLabel, "mic_heard")
    assert isinstance(heard, QLabel) and heard.text() == "“no”"
    check_screen(window, "choice while listening")
    tap("mic")
    qtbot.waitUntil(lambda: window.session.place.page == "not_out", timeout=5000)


def test_an_unsure_answer_is_confirmed_with_the_options_label(
    qtbot, window: KioskWindow, tap: Tap, english: FakeRecogniser
) -> None:
    english.will_hear("nope", 0.3, final_at=3)
    open_put_out_page(window, tap)
    tap("mic")
    qtbot.waitUntil(lambda: visible(window, QWidget, "did_you_say") is not None, timeout=5000)
    assert "Did you say: “No”?" in shown(window)
    assert window.session.place.page == "put_out"
    tap("did_you_say_yes")
    assert window.session.place.page == "not_out"


def test_words_that_pick_no_option_say_sorry(
    qtbot, window: KioskWindow, tap: Tap, english: FakeRecogniser
) -> None:
    english.will_hear("banana", 0.9, final_at=3)
    open_put_out_page(window, tap)
    tap("mic")
    message = "Sorry, I didn't catch that. Please tap your answer or try again."
    qtbot.waitUntil(lambda: message in shown(window), timeout=5000)
    assert window.session.place.page == "put_out"
    check_screen(window, "choice, not caught")
    tap("option_yes")  # touch always works
    assert window.session.place.page == "postcode"


def test_welsh_grammar_uses_the_option_labels_and_ie_na(
    window: KioskWindow, pack: ContentPack
) -> None:
    window.begin("cy")
    page = pack.services["bins.missed"].page("put_out")
    assert isinstance(page, ChoicePage)
    assert window.choice_phrases(page) == {"yes": ["Oedd", "ie"], "no": ["Nac oedd", "na"]}
    window.session.set_language("en")
    assert window.choice_phrases(page)["yes"] == ["Yes", "yes", "yeah", "yep", "correct"]
    when = pack.services["bins.missed"].page("when")
    assert isinstance(when, ChoicePage)
    assert window.choice_phrases(when)["recent"] == ["Today or in the last 2 working days"]


class TestWelshWithARecogniser:
    """A Welsh recogniser (a Vosk model IT installed) gets the Welsh labels as its grammar."""

    @pytest.fixture
    def recognisers(self) -> dict[str, FakeRecogniser]:
        return {"en": FakeRecogniser("en"), "cy": FakeRecogniser("cy")}

    def test_oedd_picks_yes(
        self, qtbot, window: KioskWindow, tap: Tap, recognisers: dict[str, FakeRecogniser]
    ) -> None:
        recognisers["cy"].will_hear("oedd", 0.9, final_at=3)
        open_put_out_page(window, tap, "cy")
        assert window.find_button("mic").text() == "Siarad"
        tap("mic")
        assert window.find_button("mic").text() == "Wrthi'n gwrando… tapiwch i stopio"
        qtbot.waitUntil(lambda: window.session.place.page == "postcode", timeout=5000)
        assert recognisers["cy"].grammars == [["oedd", "ie", "nac oedd", "na"]]
        window.session.set_language("cy")
        window.start_again()
        tap("ask_box")
        assert "Neu tapiwch Siarad" in shown(window)


# --- a microphone that fails --------------------------------------------------------------


def test_a_microphone_unplugged_mid_utterance_hides_the_mic(
    qtbot,
    window: KioskWindow,
    tap: Tap,
    english: FakeRecogniser,
    microphone: Microphone,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    english.will_hear("bin not emptied", 0.9, partials=["bin", "bin not"])
    microphone.fail_after = 6
    window.begin("en")
    tap("ask_box")
    tap("mic")
    qtbot.waitUntil(lambda: visible(window, QPushButton, "mic") is None, timeout=5000)
    assert "Speaking is not working on this kiosk right now" in shown(window)
    assert visible(window, QProgressBar, "mic_level") is None
    assert "unplugged" in caplog.text
    assert "bin not" not in caplog.text  # the visitor's words never reach the log
    for key in "bins":  # touch and typing carry on
        tap(f"tkey_{key}")
    tap("ask_submit")
    qtbot.waitUntil(lambda: window.session.place.screen is Screen.CLARIFY, timeout=5000)
    tap("start_again")
    window.open_service("bins.missed")
    tap("option_recent")
    assert visible(window, QPushButton, "mic") is None  # for the rest of the run
    assert "not working" not in shown(window)  # said once, where it happened


def test_no_microphone_at_all_hides_the_mic_on_the_first_tap(
    qtbot, window: KioskWindow, tap: Tap, microphone: Microphone
) -> None:
    microphone.missing = True
    open_put_out_page(window, tap)
    tap("mic")
    assert visible(window, QPushButton, "mic") is None
    assert "Speaking is not working" in shown(window)
    tap("option_no")
    assert window.session.place.page == "not_out"


def test_a_microphone_probe_that_finds_none_hides_it_before_anyone_taps(
    qtbot, window: KioskWindow, tap: Tap
) -> None:
    speech = window.speech
    assert speech is not None
    speech._microphone_present = lambda: False
    window.begin("en")
    tap("ask_box")
    window.find_button("mic")
    speech.preload(["en", "cy"])
    qtbot.waitUntil(lambda: visible(window, QPushButton, "mic") is None, timeout=5000)
    assert "not working" not in shown(window)


# --- reading aloud ----------------------------------------------------------------------------


def wait_for_reading(qtbot, player: FakePlayer, count: int) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: len(player.played) >= count, timeout=5000)


def test_read_aloud_reads_the_page_in_order_in_the_visitors_language(
    qtbot, window: KioskWindow, tap: Tap, synthesiser: FakeSynthesiser, player: FakePlayer
) -> None:
    open_put_out_page(window, tap)
    button = window.find_button("read_aloud")
    assert button.accessibleName() == "Read this page aloud" and not button.icon().isNull()
    check_screen(window, "choice with read aloud")
    tap("read_aloud")
    wait_for_reading(qtbot, player, 1)
    text, lang = synthesiser.said[-1]
    assert lang == "en"
    expected = [
        "Report a missed bin.",
        "Was your bin at the kerbside by 7am on collection day?",
        "Yes.",
        "No.",
        "Speak instead of tapping or typing.",
    ]
    positions = [text.index(part) for part in expected]
    assert positions == sorted(positions), text

    tap("lang_cy")
    tap("read_aloud")
    wait_for_reading(qtbot, player, 2)
    text, lang = synthesiser.said[-1]
    assert lang == "cy"
    assert "Oedd eich bin ar ymyl y palmant erbyn 7am ar y diwrnod casglu?" in text
    assert "Oedd." in text and "Nac oedd." in text


def test_the_keyboard_is_not_read_out(
    qtbot, window: KioskWindow, tap: Tap, synthesiser: FakeSynthesiser, player: FakePlayer
) -> None:
    window.begin("en")
    tap("ask_box")
    parts = screen_text(window.current_screen())
    assert parts[0] == "What do you need help with?"
    assert "Ask" in parts and "Speak instead of tapping or typing" in parts
    assert "q" not in parts and "Space" not in parts


def test_a_touch_stops_reading_at_once(
    qtbot, window: KioskWindow, tap: Tap, player: FakePlayer
) -> None:
    open_put_out_page(window, tap)
    tap("read_aloud")
    wait_for_reading(qtbot, player, 1)
    speech = window.speech
    assert speech is not None and speech.speaking
    qtbot.mouseClick(window.current_screen(), Qt.MouseButton.LeftButton)  # anywhere at all
    assert not speech.speaking and player.stops == 1
    assert window.session.place.page == "put_out"


def test_read_aloud_again_stops_the_reading(
    qtbot, window: KioskWindow, tap: Tap, player: FakePlayer
) -> None:
    open_put_out_page(window, tap)
    tap("read_aloud")
    wait_for_reading(qtbot, player, 1)
    tap("read_aloud")
    qtbot.wait(100)
    assert window.speech is not None and not window.speech.speaking
    assert len(player.played) == 1 and player.stops == 1
    tap("read_aloud")  # and once more: reads again from the top
    wait_for_reading(qtbot, player, 2)


def test_the_microphone_button_stops_reading(
    qtbot, window: KioskWindow, tap: Tap, player: FakePlayer, english: FakeRecogniser
) -> None:
    open_put_out_page(window, tap)
    tap("read_aloud")
    wait_for_reading(qtbot, player, 1)
    tap("mic")
    assert player.stops == 1 and window.speech is not None and window.speech.listening
    tap("mic")


def test_reading_stops_when_the_page_changes(
    qtbot, window: KioskWindow, tap: Tap, player: FakePlayer
) -> None:
    open_put_out_page(window, tap)
    window.read_aloud()
    wait_for_reading(qtbot, player, 1)
    window.choose("yes")  # as a touch would, without the touch
    assert player.stops == 1


class TestAutoRead:
    @pytest.fixture
    def settings(self, tmp_path: Path) -> Settings:
        return Settings(data_dir=tmp_path / "data", fullscreen=False, auto_read=True)

    def test_each_new_page_is_read(
        self,
        qtbot,
        window: KioskWindow,
        tap: Tap,
        synthesiser: FakeSynthesiser,
        player: FakePlayer,
    ) -> None:
        qtbot.wait(100)
        assert synthesiser.said == []  # not the attract screen, to an empty room
        tap("start")
        wait_for_reading(qtbot, player, 1)
        assert synthesiser.said[-1][0].startswith("What do you need help with?")
        tap("tile_bins")
        wait_for_reading(qtbot, player, 2)
        assert synthesiser.said[-1][0].startswith("Bins and recycling")
        tap("lang_cy")
        wait_for_reading(qtbot, player, 3)
        assert synthesiser.said[-1][1] == "cy"


# --- small parts ---------------------------------------------------------------------------


def test_the_level_meter_reads_in_decibels() -> None:
    assert level_percent(0.0) == 0
    assert level_percent(0.001) == 0  # -60 dB: silence
    assert level_percent(0.01) == 33
    assert level_percent(0.1) == 67  # ordinary speech
    assert level_percent(1.0) == 100


# --- real speech, end to end ------------------------------------------------------------------


@pytest.fixture(scope="session")
def say(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """A WAV of flite's 16 kHz voice 'slt' saying the text (as in tests/speech/conftest.py)."""
    flite = shutil.which("flite")
    if flite is None:
        pytest.skip("flite is not installed (./dev.sh installs it as root: apt-get install flite)")
    folder = tmp_path_factory.mktemp("flite-ui")
    made: dict[str, Path] = {}

    def synthesise(text: str) -> Path:
        if text not in made:
            out = folder / f"{len(made):02d}.wav"
            cmd = [flite, "-voice", "slt", "-t", text, "-o", str(out)]
            subprocess.run(cmd, check=True, timeout=30)
            made[text] = out
        return made[text]

    return synthesise


class SpokenWav:
    """A flite recording in place of the microphone, in real time; notes when the speech ends."""

    def __init__(self, path: Path) -> None:
        self.seconds = len(read_wav(path)) / SAMPLE_RATE
        self._wav = WavSource(path, realtime=True)
        self.speech_ended: float | None = None

    def chunks(self) -> Iterator[bytes]:
        began = time.perf_counter()
        self.speech_ended = began + self.seconds
        yield from self._wav.chunks()

    def stop(self) -> None:
        self._wav.stop()


class TestRealSpeech:
    """flite -> WAV in place of the microphone -> the real recogniser -> the real intent model."""

    @pytest.fixture
    def kiosk_classifier(self, intent_classifier):  # type: ignore[no-untyped-def]
        return intent_classifier

    @pytest.fixture
    def spoken(self) -> list[SpokenWav]:
        return []

    @pytest.fixture
    def kiosk_speech(self, spoken: list[SpokenWav]) -> SpeechController:
        from kiosk.speech import engines

        models = Settings().models_dir

        def recogniser_for(lang: str):  # type: ignore[no-untyped-def]
            recogniser = engines.recogniser_for(lang, models)
            if lang == "en" and recogniser is None:
                pytest.skip("no English recogniser: install the pocketsphinx wheel")
            return recogniser

        return SpeechController(recogniser_for=recogniser_for, source=lambda: spoken[-1])

    @pytest.mark.parametrize(
        ("phrase", "service"),
        [
            ("I want to pay my council tax", "council_tax.pay"),
            ("my bin wasn't emptied", "bins.missed"),
        ],
    )
    def test_a_spoken_request_opens_its_journey(
        self,
        qtbot,
        window: KioskWindow,
        tap: Tap,
        say: Callable[[str], Path],
        spoken: list[SpokenWav],
        phrase: str,
        service: str,
    ) -> None:
        window.begin("en")
        tap("ask_box")
        spoken.append(SpokenWav(say(phrase)))
        tap("mic")
        marks: dict[str, float] = {}

        def arrived() -> bool:
            if window.session.place.service == service:
                marks.setdefault("journey", time.perf_counter())
                return True
            if visible(window, QWidget, "did_you_say") is not None:
                marks.setdefault("asked", time.perf_counter())
                return True
            return False

        qtbot.waitUntil(arrived, timeout=30_000)
        heard = entry_text(window) if "asked" in marks else "(asked at once)"
        if "asked" in marks:
            tap("did_you_say_yes")
            yes_at = time.perf_counter()
            qtbot.waitUntil(lambda: window.session.place.service == service, timeout=30_000)
            marks["journey"] = time.perf_counter()
            marks["yes"] = yes_at
        ended = spoken[-1].speech_ended
        assert ended is not None
        first = marks.get("asked", marks["journey"]) - ended
        detail = (
            f"did you say {heard!r}, then Yes -> journey {marks['journey'] - marks['yes']:.2f} s"
            if "asked" in marks
            else "no confirmation needed"
        )
        print(f"\n{phrase!r}: end of speech -> first response {first:.2f} s; {detail}")
        start = window.pack.services[service].page(window.pack.services[service].start)
        assert window.session.place.page == start.id
        heading = start.title if isinstance(start, OutcomePage) else start.question  # type: ignore[union-attr]
        assert heading["en"] in shown(window)

    def test_a_spoken_yes_answers_a_choice_page(
        self,
        qtbot,
        window: KioskWindow,
        tap: Tap,
        say: Callable[[str], Path],
        spoken: list[SpokenWav],
    ) -> None:
        open_put_out_page(window, tap)
        assert "Was your bin at the kerbside by 7am on collection day?" in shown(window)
        spoken.append(SpokenWav(say("yes")))
        tap("mic")

        def answered() -> bool:
            if window.session.place.page == "postcode":
                return True
            if visible(window, QWidget, "did_you_say") is not None:
                tap("did_you_say_yes")
            return False

        qtbot.waitUntil(answered, timeout=30_000)
        assert window.session.answers["put_out"] == "yes"
        ended = spoken[-1].speech_ended
        assert ended is not None
        print(f"\n'yes' (grammar): end of speech -> next page {time.perf_counter() - ended:.2f} s")
