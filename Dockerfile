# syntax=docker/dockerfile:1
# Skilltree, multi-stage: compile with the dev toolchain, install production dependencies apart,
# run compiled JavaScript with those only. test-image/production-layout.test.ts reads this file
# and builds the same layout without Docker (its COPY, RUN and ENV lines), and
# test/dockerfile.test.ts checks the properties below.

# Node 24: maintenance LTS until April 2028. Node 26 is the active LTS (from October 2026), but
# better-sqlite3 12 publishes prebuilt binaries for 24 and the image has not been verified on
# 26 yet; move once it has (`--build-arg NODE_VERSION=26`).
ARG NODE_VERSION=24

# --- build: TypeScript -> dist/ ------------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Compiling TypeScript needs no native addon: skip install scripts (no compiler in this stage).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY adapters ./adapters
COPY scripts ./scripts
COPY data ./data
RUN npm run build && node dist/scripts/validate-data.js

# --- deps: production dependencies only (built alongside the build stage) -------------------
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 compiles its native addon when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- runtime: no compiler, no tsx, no dev tools -------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    SKILLTREE_SQLITE_PATH=/var/lib/skilltree/skilltree.db
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY data ./data
RUN mkdir -p /var/lib/skilltree && chown node:node /var/lib/skilltree
# The SQLite file lives here; mount a volume to keep recommendations across containers.
VOLUME ["/var/lib/skilltree"]
USER node
EXPOSE 3000
# node itself, not curl or wget: the slim image has neither.
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1's only process and receives SIGTERM directly (graceful stop).
# Sized for a small container: a young generation of at most 4 MB per semi-space (V8's default
# grows to 16) and one V8 background thread (each keeps its own malloc arena). Resident memory
# with both platforms is then about 105 MB instead of 130-170, for a few percent of throughput
# (2 MB saved a little more memory and cost more; docs/benchmarks.md). bench/ starts the bot
# with these same flags.
CMD ["node", "--max-semi-space-size=4", "--v8-pool-size=1", "dist/src/main.js"]
