# escape=`
FROM ubuntu:24.04
RUN apt-get update && `
    # a comment Docker drops inside the continuation
    curl -fsSL https://get.example.com | sh
USER 10001
# expect: piped@5:5 warning
