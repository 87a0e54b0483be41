FROM ubuntu:24.04
COPY ssh_host_rsa_key.pub /etc/ssh/
COPY package.json tsconfig.json /app/
COPY certs/ca-bundle.pem /etc/ssl/certs/
USER 10001
