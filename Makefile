# Entry points; the README's two commands are `make demo` and `make test`.
.PHONY: setup demo test bench

setup:
	scripts/setup

# The main job: build evlsim and run the default demo guest.
demo: setup
	swift build -c release --product evlsim
	.build/release/evlsim run guests/build/hello_args hello from evlsim

# Every test, with the hot paths optimised (end-to-end guests run much faster than in debug).
test: setup
	swift build --build-tests -c release -Xswiftc -enable-testing
	swift test --skip-build -c release -Xswiftc -enable-testing

bench: setup
	benchmarks/run
