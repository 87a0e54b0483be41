FROM scratch
COPY app /app
# expect: noUser@1:1 error
