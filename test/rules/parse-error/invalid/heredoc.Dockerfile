# expect: dockerfile@4:5 error
FROM alpine:3.20
RUN echo ok
RUN <<EOF
echo never closed
USER app
