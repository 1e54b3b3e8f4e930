# Everyday recipes. `just --list` shows them.

# Run a development node (temporary chain, RPC on 127.0.0.1:9944).
dev *ARGS:
    go run ./cmd/marsd dev {{ARGS}}

# Run every test (the README's test command).
test:
    go test ./...

# Build the marsd binary.
build:
    go build -o marsd ./cmd/marsd

# Rebuild the runtime blobs reproducibly (commit them with the source change).
runtime:
    go run ./cmd/marsd runtime build

# Check that the committed blobs match a fresh build (CI does this).
runtime-check:
    go run ./cmd/marsd runtime build --check

# Block pipeline and runtime benchmarks.
bench:
    go test ./tests/pipeline -run '^$' -bench . -benchtime 3x
    go test ./host/executor -run '^$' -bench 'HostCall|Instantiate' -benchtime 2000x

# Vet and the layering rule.
lint:
    go vet ./...
    go test ./tests -run Layering

# What CI runs.
ci:
    bash .ci/run
