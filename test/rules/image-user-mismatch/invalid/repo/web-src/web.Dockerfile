FROM node:22-alpine
USER node:node
# expect: dockerfile@2:1 note
