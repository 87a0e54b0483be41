FROM golang:1.23 AS build
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out /app
