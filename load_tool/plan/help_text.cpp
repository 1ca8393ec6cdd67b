#include "help_text.hpp"

namespace kit {

const char* client_description(ClientKind kind) {
  return kind == ClientKind::sync
             ? "Blocking HTTP client: sends the requests one after another (cpp-httplib)."
             : "Concurrent HTTP client: starts the requests at once on one thread "
               "(Boost.Beast, C++20 coroutines; --loops for more) and gathers the answers in order.";
}

const char* client_examples(ClientKind kind) {
  return kind == ClientKind::sync
             ? "Examples:\n"
               "  client_sync                                  # 2 requests to http://localhost:8000/\n"
               "  client_sync -n 4                             # 4 requests, one after another\n"
               "  client_sync --threads 3 -n 3                 # 3 threads share the requests\n"
               "  client_sync --processes 3 -n 3               # 3 processes, as multiprocessing.Pool(3)\n"
               "  client_sync 'http://127.0.0.1:8000/?delay=0.2' --timeout 5\n"
               "  client_sync -n 4 --summary --timeline        # see where the time went\n"
               "  client_sync -n 4 --svg sync.svg --json -     # a picture, and every record as JSON\n"
               "  client_sync -z 5s --threads 4 --summary      # 4 threads, kept-alive connections, 5 s\n"
               "  client_sync https://localhost:8443/ -k       # HTTPS without verifying the certificate\n"
               "  client_sync URL1 URL2 URL3                   # three pages, one after another\n"
               "  client_sync --rate 5 -n 20 --threads 4       # 5 requests a second, whatever the server does\n"
               "  client_sync -n 20 --retry 5                  # ask again after 429 or 503, as Retry-After says\n"
               "  client_sync -d 'a=1' -H 'X-Token: abc'       # a form POST with a header, as curl -d sends\n"
               "  client_sync -m PUT -D body.json -T application/json -a user:pass   # a JSON body, basic auth\n"
               "  client_sync --merge shard*.txt --summary     # client_async shards' results, added up\n"
               "\nExit status: 0 all requests succeeded, 1 some failed, 2 bad usage, 3 a --fail-if threshold crossed."
             : "Examples:\n"
               "  client_async                                 # 2 requests at once to http://localhost:8000/\n"
               "  client_async -n 100                          # 100 requests at once\n"
               "  client_async -n 9 -c 3                       # at most 3 in flight (a semaphore of 3)\n"
               "  client_async 'http://127.0.0.1:8000/?delay=0.2' --timeout 5\n"
               "  client_async -n 9 -c 3 --timeline            # three waves of three\n"
               "  client_async -n 100 --summary --csv runs.csv # figures, and every record as CSV\n"
               "  client_async -z 10s -c 50 --summary          # a load test: 50 kept-alive connections for 10 s\n"
               "  client_async -n 10000 --loops 2 --summary    # 10,000 at once on two threads, two cores\n"
               "  client_async https://localhost:8443/ --cacert cert.pem   # HTTPS with your own CA\n"
               "  client_async --http2 -n 100 --summary        # 100 requests as streams of one HTTP/2 connection\n"
               "  client_async URL1 URL2 URL3                  # three pages at once, bodies in the order given\n"
               "  client_async --urls pages.txt --summary      # one URL per line (- for stdin), results by host\n"
               "  client_async -n 20 --retry 5                 # ask again after 429 or 503, as Retry-After says\n"
               "  client_async --rate 1000 -z 10s -c 50        # an open-loop load: 1000 requests due each second\n"
               "  client_async -z 10s -c 50 -D body.json -T application/json   # POST a JSON body for 10 s\n"
               "  client_async -m DELETE -H 'Authorization: Bearer T' URL      # any method, any header\n"
               "  client_async --rate 800 -z 60s --shard 0/4 --start-at T --result -   # shard 0 of 4\n"
               "  client_async --merge shard*.txt --summary    # the shards' results, added up\n"
               "\nExit status: 0 all requests succeeded, 1 some failed, 2 bad usage, 3 a --fail-if threshold crossed.";
}

}  // namespace kit
