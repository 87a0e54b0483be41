# The final stage builds on a stage whose last USER is root.
FROM alpine:3.20 AS base
USER root:root
FROM base AS runtime
COPY app /app
# expect: rootUser@3:1 error
