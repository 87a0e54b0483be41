ARG VERSION=3.20
FROM alpine:${VERSION}@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb AS build
FROM build
FROM scratch
COPY --from=build /a /a
COPY --from=0 /b /b
ARG TAG
FROM mcr.microsoft.com/dotnet/aspnet:${TAG}
