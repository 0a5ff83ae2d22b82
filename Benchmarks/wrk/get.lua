-- GET with the bearer token in $HOSO_TOKEN: case reads.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("HOSO_TOKEN")
