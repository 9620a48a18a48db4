-- wrk script: POST the same story request again and again, so every answer after the first is
-- served from the cache (a new story record for the caller each time, no model call).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"theme":"space","ageGroup":"6-8","characters":[{"name":"Mia","description":"a curious girl"}],"moral":"sharing"}'

local statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
