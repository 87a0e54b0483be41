ARG REGISTRY=mcr.microsoft.com
ARG IMAGE=${REGISTRY}/dotnet/aspnet:8.0@sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc
FROM ${IMAGE}
USER 10001
