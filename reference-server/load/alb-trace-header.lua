-- wrk script: every request carries a new X-Amzn-Trace-Id with a Root and nothing else, as the load
-- balancer adds it in front of the server, so the server takes the production path: the trace id
-- from the header, the sampling decision drawn on it. POST_STORY=1 (environment) sends the cached
-- story POST of post-story.lua instead of a GET.
if os.getenv("POST_STORY") == "1" then
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = '{"theme":"space","ageGroup":"6-8","characters":[{"name":"Mia","description":"a curious girl"}],"moral":"sharing"}'
end

local random = math.random

init = function(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

request = function()
  -- 8 hex digits of time, then 96 random bits in 16-bit pieces (the sampler reads the low 64).
  wrk.headers["X-Amzn-Trace-Id"] = string.format("Root=1-%08x-%04x%04x%04x%04x%04x%04x", os.time(),
    random(0, 65535), random(0, 65535), random(0, 65535), random(0, 65535), random(0, 65535), random(0, 65535))
  return wrk.format()
end
