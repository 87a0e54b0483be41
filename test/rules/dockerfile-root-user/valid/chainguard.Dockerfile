# Chainguard images run as a non-root user (65532) by default.
FROM cgr.dev/chainguard/python:3.12
COPY app.py /app/app.py
