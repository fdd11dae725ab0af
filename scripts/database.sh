# Sourced by run.sh and test.sh: finds a PostgreSQL to use and sets MOSAIC_PG (a server URL without a
# database name). In order: the server named by DATABASE_URL; one answering on 127.0.0.1:5432; else a
# private cluster of our own under .data/pg, started with the installed PostgreSQL binaries.

PRIVATE_PG_PORT=${PRIVATE_PG_PORT:-54329}
PRIVATE_PG_DIR="$PWD/.data/pg"

pg_bin() {
  if command -v "$1" >/dev/null 2>&1; then command -v "$1"; return; fi
  ls /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1
}

# Runs a command as an unprivileged user when we are root: PostgreSQL refuses to run as root.
as_pg_user() {
  if [ "$(id -u)" != 0 ]; then "$@"; return; fi
  id -u mosaic-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin mosaic-pg
  chown -R mosaic-pg "$PWD/.data"
  runuser -u mosaic-pg -- "$@"
}

start_private_cluster() {
  local initdb pg_ctl
  initdb=$(pg_bin initdb); pg_ctl=$(pg_bin pg_ctl)
  if [ -z "$initdb" ] || [ -z "$pg_ctl" ]; then
    echo "No PostgreSQL found: set DATABASE_URL, or install PostgreSQL (e.g. apt-get install postgresql)." >&2
    exit 1
  fi
  mkdir -p "$PWD/.data"
  if [ ! -f "$PRIVATE_PG_DIR/PG_VERSION" ]; then
    echo "==> creating a private PostgreSQL cluster in .data/pg"
    as_pg_user "$initdb" -D "$PRIVATE_PG_DIR" -U postgres --auth=trust --no-sync >/dev/null
  fi
  if ! "$(pg_bin pg_isready)" -q -h 127.0.0.1 -p "$PRIVATE_PG_PORT"; then
    echo "==> starting the private PostgreSQL on 127.0.0.1:$PRIVATE_PG_PORT"
    as_pg_user "$pg_ctl" -D "$PRIVATE_PG_DIR" -l "$PRIVATE_PG_DIR/server.log" -w \
      -o "-p $PRIVATE_PG_PORT -c listen_addresses=127.0.0.1 -k /tmp" start >/dev/null
  fi
}

choose_database() {
  if [ -n "${DATABASE_URL:-}" ]; then
    MOSAIC_PG="${DATABASE_URL%/*}"
    MOSAIC_DB_GIVEN="${DATABASE_URL##*/}"
  elif "$(pg_bin pg_isready)" -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    MOSAIC_PG="postgres://${PGUSER:-postgres}@127.0.0.1:5432"
  else
    start_private_cluster
    MOSAIC_PG="postgres://postgres@127.0.0.1:$PRIVATE_PG_PORT"
  fi
  export MOSAIC_PG
}

# create_database NAME: creates it on $MOSAIC_PG unless it exists.
create_database() {
  local exists
  exists=$(psql "$MOSAIC_PG/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")
  [ "$exists" = 1 ] || psql "$MOSAIC_PG/postgres" -qc "CREATE DATABASE \"$1\"" >/dev/null
}

# recreate_database NAME: drops it if it is there and creates it empty, for a measurement's fresh start.
recreate_database() {
  psql "$MOSAIC_PG/postgres" -qc "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null
  create_database "$1"
}

# app_database_url NAME: makes the login role the server runs as (mosaic_app, which owns nothing: the
# migrations run as $MOSAIC_PG's user, who owns the schema) and prints its URL for database NAME. Its
# password is made once and kept in .data/app-role.password. Prints nothing when $MOSAIC_PG's user may not
# create roles; the server then runs as the owner and says so.
app_database_url() {
  local password_file="$PWD/.data/app-role.password" password host
  mkdir -p "$PWD/.data"
  [ -s "$password_file" ] || python3 -c 'import secrets; print(secrets.token_urlsafe(24))' > "$password_file"
  password=$(cat "$password_file")
  if ! psql "$MOSAIC_PG/postgres" -v ON_ERROR_STOP=1 -q >/dev/null 2>&1 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mosaic_app') THEN CREATE ROLE mosaic_app LOGIN; END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END \$\$;
ALTER ROLE mosaic_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD '$password';
SQL
  then
    echo "==> could not make the role mosaic_app on $MOSAIC_PG (it needs CREATEROLE); the server will run as the owner" >&2
    return 0
  fi
  export MOSAIC_APP_PASSWORD="$password"
  host=${MOSAIC_PG#*://}
  host=${host##*@}
  echo "postgres://mosaic_app:$password@$host/$1"
}
