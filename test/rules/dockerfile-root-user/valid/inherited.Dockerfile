FROM mcr.microsoft.com/dotnet/aspnet:8.0 AS base
USER 1654
FROM base AS final
COPY app /app
