"""Speech: recognisers (Vosk, PocketSphinx), the synthesiser (pyttsx3 + espeak-ng), audio.

Never imports Qt; the UI runs these in workers.
"""
