# Baseline 1 for scripts/bench.sh: what a team writes first, for tests/fixtures/shop.
# One stage: the whole source and toolchain ship, every change recompiles every crate.
ARG RUST_IMAGE=rust:1.95.0-slim-trixie
FROM ${RUST_IMAGE} AS production
WORKDIR /app
COPY . .
RUN cargo build --release --locked --bin shop --bin worker
ENV PORT=3000
EXPOSE 3000
CMD ["/app/target/release/shop"]
