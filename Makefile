# Shortcuts; ./dev.sh does the work (and installs what it needs).
.PHONY: run test demo bench
run:
	./dev.sh run
test:
	./dev.sh test
demo:
	./dev.sh run --demo out/demo
bench:
	./dev.sh run --help >/dev/null && .venv/bin/python bench/startup.py
