-- wrk script: POST the same story request again and again, so every answer after the first is
-- served from the cache (a new story record for the caller each time, no model call).
-- Only the request is scripted: wrk builds it once. A response() function would make wrk copy every
-- answer's headers and body into Lua, on the same cores as the server (about a fifth of the cached
-- POST's requests/s on the 2-core machine); wrk counts answers other than 2xx/3xx itself.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"theme":"space","ageGroup":"6-8","characters":[{"name":"Mia","description":"a curious girl"}],"moral":"sharing"}'
