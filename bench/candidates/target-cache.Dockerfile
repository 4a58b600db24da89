# Candidate for templates/Dockerfile.j2, measured by scripts/bench.sh on tests/fixtures/shop.
# Same chef/planner/cook layers as the generated Dockerfile (the cook layer is what a CI
# cache exports), plus a target/ cache mount for the final `cargo build`:
#   - on a builder that keeps its cache mounts (a laptop) the build is incremental like
#     the host's: only the changed crate is compiled;
#   - on a fresh builder (CI) the mount is empty and is seeded from the cooked layer, so
#     no dependency is recompiled either;
#   - cook starts from the mount when it has content, so adding a dependency compiles
#     that dependency only (on a fresh builder cook compiles them all, as before).
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
    --mount=type=cache,id=shop-target,target=/cache/target,sharing=locked \
    if [ -d /cache/target/release ]; then cp -a /cache/target/. target/; fi \
 && cargo chef cook --release --recipe-path recipe.json --locked --bin shop --bin worker
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/usr/local/cargo/git,sharing=locked \
    --mount=type=cache,id=shop-target,target=/cache/target,sharing=locked \
    if [ ! -d /cache/target/release ]; then cp -a target/. /cache/target/; fi \
 && CARGO_TARGET_DIR=/cache/target cargo build --release --locked --bin shop --bin worker \
 && mkdir -p /out /empty \
 && cp /cache/target/release/shop /cache/target/release/worker /out/

FROM ${RUNTIME_IMAGE} AS runtime
USER 65532:65532
WORKDIR /home/nonroot

FROM runtime AS production
LABEL org.opencontainers.image.title="shop"
COPY --from=builder /out/shop /usr/local/bin/shop
ENV PORT=3000
EXPOSE 3000
ENTRYPOINT ["/usr/local/bin/shop"]
