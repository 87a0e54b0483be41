# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN echo one `
    && sudo whoami
USER ContainerUser
# expect: sudo@4:8 warning
