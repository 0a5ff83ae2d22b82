-- POST a different signed PDF each time, from the files listed in $HOSO_RESULTS (one path a line):
-- each request is a real attach (verify, store, record), not the idempotent repeat.
local bodies = {}
local next_index = 0
local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  local list = io.open(os.getenv("HOSO_RESULTS"))
  local n = 0
  for path in list:lines() do
    n = n + 1
    -- each thread takes every other file so no two send the same bytes
    if n % 2 == id then
      local f = io.open(path, "rb")
      bodies[#bodies + 1] = f:read("*a")
      f:close()
    end
  end
  list:close()
  wrk.method = "POST"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("HOSO_TOKEN")
  wrk.headers["Content-Type"] = "application/pdf"
end

function request()
  next_index = next_index + 1
  if next_index > #bodies then next_index = 1 end
  return wrk.format(nil, nil, nil, bodies[next_index])
end
