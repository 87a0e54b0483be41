# Earlier stages may be root or not; only the final stage's user counts.
FROM golang:1.23 AS build
USER 10001
RUN go build ./...
FROM ubuntu:24.04
COPY --from=build /out /app
# expect: noUser@5:1 error
