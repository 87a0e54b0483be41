# escape=x
# expect: dockerfile@1:10 error
FROM alpine:3.20
RUN echo hi
