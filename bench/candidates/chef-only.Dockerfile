# Reference for scripts/bench.sh, for tests/fixtures/shop: the builder of the generated
# Dockerfile before the target/ cache mount (cargo-chef only; commit 09a0747 changed it).
# Kept so a run shows the before/after of that change side by side.
ARG RUST_IMAGE=rust:1.95.0-slim-trixie
ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian13:nonroot

FROM ${RUST_IMAGE} AS chef
ARG CARGO_CHEF_VERSION=0.1.78
WORKDIR /app
ENV CARGO_PROFILE_RELEASE_STRIP=symbols \
    CARGO_TERM_COLOR=never
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    cargo install cargo-chef --locked --version "${CARGO_CHEF_VERSION}"

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
COPY --from=planner /app/recipe.json recipe.json
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/usr/local/cargo/git,sharing=locked \
    cargo chef cook --release --recipe-path recipe.json --locked --bin shop --bin worker
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/usr/local/cargo/git,sharing=locked \
    cargo build --release --locked --bin shop --bin worker \
 && mkdir -p /out /empty \
 && cp target/release/shop target/release/worker /out/

FROM ${RUNTIME_IMAGE} AS runtime
USER 65532:65532
WORKDIR /home/nonroot

FROM runtime AS production
LABEL org.opencontainers.image.title="shop"
COPY --from=builder /out/shop /usr/local/bin/shop
ENV PORT=3000
EXPOSE 3000
ENTRYPOINT ["/usr/local/bin/shop"]
