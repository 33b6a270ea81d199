# Sourced by run.sh and test.sh: where builds go and which tools come first on PATH.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/participa-target}"
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# The server reads it at run time too; a build without it would point pages at `/pkg/.js`.
export LEPTOS_OUTPUT_NAME="${LEPTOS_OUTPUT_NAME:-participa}"
