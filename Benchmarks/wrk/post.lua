-- POST with the bearer token in $HOSO_TOKEN and an empty body: the return gate.
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("HOSO_TOKEN")
