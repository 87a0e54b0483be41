FROM mcr.microsoft.com/dotnet/aspnet:8.0
USER 10001
RUN echo hi
user root
# expect: rootUser@4:1 error
