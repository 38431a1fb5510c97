# Shortcuts for the scripts the README names (scripts/demo, scripts/test).
.PHONY: setup demo test bench

setup:
	scripts/setup

demo:
	scripts/demo

test:
	scripts/test

bench:
	benchmarks/run
