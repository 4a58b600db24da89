# Baseline 2 for scripts/bench.sh, for tests/fixtures/shop: multi-stage with BuildKit
# cache mounts for the registry and target/, no cargo-chef. Fast on a builder that keeps
# its cache mounts; a CI builder that only imports exported layers starts from nothing
# (cache mounts are never exported).
ARG RUST_IMAGE=rust:1.95.0-slim-trixie
ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian13:nonroot

FROM ${RUST_IMAGE} AS builder
WORKDIR /app
ENV CARGO_PROFILE_RELEASE_STRIP=symbols \
    CARGO_TERM_COLOR=never
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/usr/local/cargo/git,sharing=locked \
    --mount=type=cache,target=/app/target,sharing=locked \
    cargo build --release --locked --bin shop --bin worker \
 && mkdir -p /out \
 && cp target/release/shop target/release/worker /out/

FROM ${RUNTIME_IMAGE} AS production
COPY --from=builder /out/shop /usr/local/bin/shop
USER 65532:65532
ENV PORT=3000
EXPOSE 3000
ENTRYPOINT ["/usr/local/bin/shop"]
