# Sourced by scripts/bench.sh: section 13, HTTP/2. h2load (nghttp2-client)
# beside client_async --http2 against nginx with `listen ... http2` (h2c),
# and the kit's server beside that nginx under h2load. Uses bench.sh's row,
# verdict, measure, settle, $work, $seconds and $many; nginx is started here.

# nginx speaking HTTP/2 with prior knowledge on a free port: one worker, as
# in the rows above; keepalive_requests high, or it ends a connection with
# GOAWAY after 1000 requests.
start_h2c_nginx() {
  local pid _
  mkdir -p "$work/h2_nginx"
  h2_port=$(free_port)
  cat >"$work/h2_nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/h2_nginx/nginx.pid;
error_log $work/h2_nginx/error.log;
load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;
worker_rlimit_nofile $hard;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  client_body_temp_path $work/h2_nginx/body;
  server {
    listen 127.0.0.1:$h2_port http2 backlog=65535;
    location /sleep { echo_sleep 1; echo -n "This is a slow web api"; }
    location / { return 200 "This is a slow web api"; }
  }
}
CONF
  nginx -c "$work/h2_nginx/nginx.conf" 2>>"$work/h2_nginx/error.log" &
  pid=$!
  kit_server_pids+=("$pid")
  for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$h2_port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "bench.sh: nginx with http2 did not start" >&2
  exit 1
}

h2load_rps() { awk '/^finished in/ { gsub(/,/, ""); printf "%.0f", $4 }' "$work/$1.out"; }
h2load_ok() { awk '/^requests:/ { print $8 }' "$work/$1.out"; }

http2_rows() {
  say "13. HTTP/2: client_async --http2 beside h2load against nginx h2c; the server beside nginx under h2load"
  start_h2c_nginx
  local static="http://127.0.0.1:$h2_port/" sleep="http://127.0.0.1:$h2_port/sleep" streams=$((many / 100))
  settle "$h2_port"
  measure h2load_static h2load -c 1 -m 100 -D "$seconds" "$static"
  settle "$h2_port"
  measure kit_h2_static ./build/client_async --http2 "$static" -z "${seconds}s" -c 100
  settle "$h2_port"
  measure kit_h2_long ./build/client_async --http2 "$static" -z "$((seconds * 3))s" -c 100
  local kit_rate growth
  kit_rate=$(kit_rps kit_h2_static)
  growth=$(( $(rss kit_h2_long) - $(rss kit_h2_static) ))
  row "100 streams on 1 connection, nginx h2c, delay 0" "h2load -c 1 -m 100 -D $seconds" \
    "$(h2load_rps h2load_static) req/s, $(rss h2load_static) MB" "" "" ""
  row "100 streams on 1 connection, nginx h2c, delay 0" "client_async --http2 -c 100 -z ${seconds}s" \
    "$kit_rate req/s, $(rss kit_h2_static) MB" "$(kit_ok kit_h2_static) ok" \
    "$(ratio "$kit_rate" "$(h2load_rps h2load_static)")x h2load (goal >= 1.0)" \
    "$(verdict "$(ratio "$kit_rate" "$(h2load_rps h2load_static)")" ">=" 1.0)"
  row "the same, $((seconds * 3)) s" "client_async --http2 -c 100" "$(rss kit_h2_long) MB" "$(kit_ok kit_h2_long) ok" \
    "memory flat within 2 MB: ${growth} MB more" "$(verdict "${growth#-}" "<=" 2)"

  settle "$h2_port"
  measure h2load_many h2load -n "$many" -c 100 -m "$streams" "$sleep"
  settle "$h2_port"
  measure kit_h2_many ./build/client_async --http2 "$sleep" -n "$many" --connections 100 -q --summary
  row "$many streams at once over 100 connections, 1 s nginx h2c" "h2load -n $many -c 100 -m $streams" \
    "$(time_rss h2load_many)" "$(h2load_ok h2load_many) ok" "" ""
  row "$many streams at once over 100 connections, 1 s nginx h2c" "client_async --http2 --connections 100" \
    "$(time_rss kit_h2_many)" "$(kit_answers kit_h2_many)" "" ""

  local kit_h2_server
  start_server kit_h2_server --async --delay 0
  settle "$h2_port"
  measure h2load_on_nginx h2load -c 10 -m 10 -D "$seconds" "$static"
  settle "$h2_port"
  measure h2load_on_kit h2load -c 10 -m 10 -D "$seconds" "$kit_h2_server"
  local server_ratio
  server_ratio=$(ratio "$(h2load_rps h2load_on_kit)" "$(h2load_rps h2load_on_nginx)")
  row "h2load -c 10 -m 10, delay 0" "nginx h2c, one worker" "$(h2load_rps h2load_on_nginx) req/s" \
    "$(h2load_ok h2load_on_nginx) ok" "" ""
  row "h2load -c 10 -m 10, delay 0" "server --async" "$(h2load_rps h2load_on_kit) req/s" \
    "$(h2load_ok h2load_on_kit) ok" "${server_ratio}x nginx (goal >= 0.8, hope 1.0)" \
    "$(verdict "$server_ratio" ">=" 0.8)"
}
