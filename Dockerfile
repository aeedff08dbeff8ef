# Trellis in a container, built from Debian's packages only:
#   docker build -t trellis . && docker run -p 8080:8080 -v trellis:/var/lib/trellis trellis
FROM debian:bookworm-slim AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev \
        libsodium-dev libcurl4-openssl-dev libical-dev libgmime-3.0-dev libutf8proc-dev help2man \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make build/trellis && make install DESTDIR=/out PREFIX=/usr

FROM debian:bookworm-slim
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libmicrohttpd12 libjansson4 libsqlite3-0 libpq5 libsodium23 libcurl4 libical3 \
        libgmime-3.0-0 libutf8proc2 ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /var/lib/trellis --create-home trellis
COPY --from=build /out/usr/bin/trellis /usr/bin/trellis
COPY --from=build /out/usr/share/man/man1/trellis.1 /usr/share/man/man1/trellis.1
USER trellis
WORKDIR /var/lib/trellis
VOLUME /var/lib/trellis
ENV TRELLIS_DB=sqlite:/var/lib/trellis/trellis.db TRELLIS_KEY_FILE=/var/lib/trellis/trellis.key \
    TRELLIS_LISTEN=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["/usr/bin/trellis"]
CMD ["serve"]
