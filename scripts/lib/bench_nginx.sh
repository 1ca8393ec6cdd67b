# Sourced by scripts/bench.sh: nginx with the echo module on a free loopback
# port, for the rows that compare the kit with it. Needs $work, $hard and $most.

# A port below the kernel's ephemeral range: ports in that range may still be
# held by the connections of earlier runs, and nginx then cannot bind them.
free_port() {
  local first_ephemeral port
  first_ephemeral=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  [ "$first_ephemeral" -gt 12000 ] || first_ephemeral=65000
  while :; do
    port=$((10000 + RANDOM % (first_ephemeral - 10000)))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

write_nginx_conf() {
  cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;
worker_rlimit_nofile $hard;
events { worker_connections $((most * 2)); }  # nginx needs slack above the connections it serves
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:$nginx_port backlog=65535;
    # A second address for the largest run: the runs before it leave tens of
    # thousands of ports to 127.0.0.1 in TIME_WAIT, and ports are per address.
    listen 127.0.0.2:$nginx_port backlog=65535;
    location /sleep { echo_sleep 1; echo -n "This is a slow web api"; }
    location / { return 200 "This is a slow web api"; }
  }
}
CONF
}

# Starts nginx and waits until it answers; tries another port if it cannot
# listen on the one it got. Every figure below depends on it, so no nginx, no bench.
start_nginx() {
  local attempt pid _
  mkdir -p "$work/nginx"
  for attempt in 1 2 3 4 5; do
    nginx_port=$(free_port)
    write_nginx_conf
    nginx -c "$work/nginx/nginx.conf" 2>>"$work/nginx/error.log" &
    pid=$!
    for _ in $(seq 50); do
      if (exec 3<>"/dev/tcp/127.0.0.2/$nginx_port") 2>/dev/null; then
        kit_server_pids+=("$pid")
        return 0
      fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    say "nginx did not start on port $nginx_port (attempt $attempt of 5)"
  done
  tail -n 5 "$work/nginx/error.log" >&2
  echo "bench.sh: nginx did not start; see the lines above" >&2
  exit 1
}
