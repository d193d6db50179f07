# Sourced by ./mvnw and bench/run: points JAVA_HOME at a JDK 25 or newer, or stops with what to install.
# Order: $JAVA_HOME if it is 25+, then the JDKs under /usr/lib/jvm (newest first), then `java` on PATH.
veloq_java_feature() { # prints the feature release of the JDK at $1 (e.g. 25), or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}
veloq_find_jdk() {
  for candidate in "${JAVA_HOME:-}" $(find /usr/lib/jvm -mindepth 1 -maxdepth 1 2>/dev/null | sort -rV) \
                   "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] || continue
    candidate=${candidate%/}
    feature=$(veloq_java_feature "$candidate")
    if [ -n "$feature" ] && [ "$feature" -ge 25 ]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}
if VELOQ_JDK=$(veloq_find_jdk); then
  JAVA_HOME=$VELOQ_JDK
  export JAVA_HOME
else
  echo "Veloq needs a JDK 25 or newer and found none (checked \$JAVA_HOME, /usr/lib/jvm and PATH): install one, e.g. 'apt-get install temurin-25-jdk' or an OpenJDK 25 build, or set JAVA_HOME." >&2
  exit 1
fi
