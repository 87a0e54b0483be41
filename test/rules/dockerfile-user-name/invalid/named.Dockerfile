ARG APP_USER=app
FROM node:22-alpine
ARG APP_USER
USER ${APP_USER}
# expect: namedUser@4:1 note
