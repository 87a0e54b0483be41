FROM ubuntu:24.04
RUN sudo apt-get update && sudo apt-get install -y curl && \
    sudo rm -rf /var/lib/apt/lists/*
USER 10001
# expect: sudo@2:5 warning
