# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
USER `
  ContainerAdministrator
# expect: rootUser@3:1 error
