FROM ubuntu:24.04
COPY ssh_host_*_key* /etc/ssh/
COPY conf/.htpasswd /etc/nginx/.htpasswd
COPY certs/server.jks certs/truststore.keystore /opt/app/
ADD gcp/service-account-prod.json /secrets/
COPY credentials.json /app/
USER 10001
# expect: keyMaterial@2:6 error
# expect: keyMaterial@3:6 error
# expect: keyMaterial@4:6 error
# expect: keyMaterial@4:23 error
# expect: keyMaterial@5:5 error
# expect: keyMaterial@6:6 error
