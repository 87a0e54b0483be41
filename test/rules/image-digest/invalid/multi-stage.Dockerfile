# escape=`
# Every reference form of a Dockerfile; stage aliases, indexes and scratch are not images.
ARG BASE=alpine
from --platform=$BUILDPLATFORM ${BASE} AS build
FROM ubuntu:latest aS tools
FROM localhost:5000/base/img:1.0 as base
FROM build AS again
FROM scratch AS empty
FROM mcr.microsoft.com/dotnet/aspnet@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
RUN --mount=type=cache,from=build,target=/c true
COPY --from=busybox /bin/sh /sh
RUN --mount=type=bind,from=ghcr.io/org/tools:2.1,target=/t `
    /t/run
copy --from=registry.example.com:8443/team/assets:7 /a /b
COPY --from=nginx:latest@notadigest /x /y
COPY --from=0 /a /b
COPY --from=tools /a /b
COPY --from=EMPTY /a /b
# expect: noDigest@6:6 note
# expect: noDigest@12:28 note
# expect: noDigest@14:13 note
