FROM golang:1.23 AS build
USER root
FROM scratch
COPY --from=build /out /app
USER 65532:65532
