-- wrk script for bench/predict: POST /predict with a different feature vector on every request,
-- so that every call misses the Redis cache and is scored.
--
--   wrk -t2 -c32 -d30s --latency -s bench/predict-distinct.lua http://127.0.0.1:18000/predict -- <seed>
--   wrk ... -s bench/predict-distinct.lua http://127.0.0.1:18000/v2/models/diabetes/infer -- <seed> v2
--
-- With "v2" after the seed, each request is an Open Inference Protocol one: one FP64 tensor of
-- shape [1, 10] holding the row.
--
-- Each request carries 10 values drawn from N(0, 0.05) (the diabetes features are of that size),
-- printed with 17 significant digits so that the api reads exactly the drawn doubles. Every wrk
-- thread has its own Lua state and random stream: the seed comes from the argument after `--`
-- (bench/predict passes a fresh one to every wrk run, so a warm-up and the measured run never
-- share vectors) mixed with the thread's number. Two requests with the same 10 doubles would need
-- two streams to agree on 640 random bits: they never do in practice, and bench/predict checks
-- the api's own hit/miss counters after the run.

local headers = { ["Content-Type"] = "application/json" }
local SCALE = 0.05
local TWO_PI = 2 * math.pi

-- main state: number the threads before they start
local threads_started = 0
function setup(thread)
    thread:set("thread_number", threads_started)
    threads_started = threads_started + 1
end

-- thread state from here on
local spare = nil -- Box-Muller gives two normals per draw; keep the second

local function normal()
    if spare then
        local z = spare
        spare = nil
        return z
    end
    local u1 = math.random()
    while u1 <= 0 do
        u1 = math.random()
    end
    local u2 = math.random()
    local r = math.sqrt(-2 * math.log(u1))
    spare = r * math.sin(TWO_PI * u2)
    return r * math.cos(TWO_PI * u2)
end

local v2 = false
function init(args)
    local seed = tonumber(args[1]) or (os.time() + math.floor(os.clock() * 1e6))
    v2 = args[2] == "v2"
    local n = thread_number or 0
    -- distinct seeds per thread; a few draws thrown away so that nearby seeds drift apart
    math.randomseed((seed % 2147483629) + 1000003 * (n + 1))
    for _ = 1, 16 do
        math.random()
    end
end

local values = {}
function request()
    for i = 1, 10 do
        values[i] = string.format("%.17g", SCALE * normal())
    end
    if v2 then
        return wrk.format("POST", nil, headers, '{"inputs":[{"name":"input","shape":[1,10],"datatype":"FP64","data":['
            .. table.concat(values, ",") .. "]}]}")
    end
    return wrk.format("POST", nil, headers, '{"features":[' .. table.concat(values, ",") .. "]}")
end
