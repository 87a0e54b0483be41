FROM golang:1.23 AS build
FROM scratch
COPY --from=build /out /app
USER nobody
# expect: namedOnScratch@4:1 error
