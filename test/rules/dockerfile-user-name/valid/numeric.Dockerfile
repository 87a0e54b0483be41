FROM alpine:3.20 AS build
RUN apk add --no-cache curl
FROM alpine:3.20
USER 10001:0
