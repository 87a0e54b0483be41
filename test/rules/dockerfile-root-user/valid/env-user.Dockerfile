# The .NET images define APP_UID; podguard cannot see it, so it stays silent.
FROM mcr.microsoft.com/dotnet/aspnet:8.0
USER $APP_UID
