# podguard-config: {"allowedImages": ["mcr.microsoft.com/dotnet/*", "myregistry.azurecr.io/**/build-*"]}
ARG SDK=mcr.microsoft.com/dotnet/sdk:8.0
FROM ${SDK} AS build
FROM myregistry.azurecr.io/platform/tools/build-cache:3 AS cache
FROM build AS test
FROM scratch AS empty
FROM mcr.microsoft.com/dotnet/aspnet:8.0
COPY --from=build /out /app
COPY --from=1 /cache /cache
COPY --from=empty / /
ARG TOOL
COPY --from=${TOOL} /x /x
USER 10001
