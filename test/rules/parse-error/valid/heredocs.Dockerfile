# escape=`
FROM alpine:3.20
RUN <<EOF
echo closed
EOF
COPY <<-"A" <<B /x
	hi
	A
there
B
