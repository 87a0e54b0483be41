FROM golang:1.23 AS build
FROM scratch
COPY --from=build /out /app
USER nobody
