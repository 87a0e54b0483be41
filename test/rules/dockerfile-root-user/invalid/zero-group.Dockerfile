FROM alpine:3.20
USER 0:0
# expect: rootUser@2:1 error
